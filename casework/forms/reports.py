"""Forms for the phase-6 report: editing the draft, compiling it again, making it final."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ..models import MeetingReport
from ..services.reports import SECTION_MAX_LENGTH

HELP_TEXTS = {
    "present": _("Compiled from the attendance."),
    "cases": _("Titles only: no names of pupils, colleagues or presenters."),
    "insights": _("Per small group: the question, the question in new words and the insights."),
    "scores": _("Per small group: the scale score (0-10) and what one step higher looks like."),
    "first_steps": _("Per small group: the presenter's first small step and what was usable."),
    "evaluation": _("How the theme was closed, what went well, what to do better, what is next."),
}


class ReportForm(forms.Form):
    """The six sections of a draft, and the version the writer started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in MeetingReport.SECTIONS:
            self.fields[name] = forms.CharField(
                label=capfirst(MeetingReport._meta.get_field(name).verbose_name),
                required=False,
                max_length=SECTION_MAX_LENGTH,
                help_text=HELP_TEXTS[name],
                widget=forms.Textarea(attrs={"rows": 6}),
            )

    @classmethod
    def for_report(cls, report: MeetingReport, data=None) -> ReportForm:
        initial = {name: getattr(report, name) for name in MeetingReport.SECTIONS}
        return cls(data, initial={**initial, "version": report.version})

    @property
    def sections(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in MeetingReport.SECTIONS}


class ReportCompileForm(forms.Form):
    """Compiling again replaces the edited text, so it needs a tick."""

    prefix = "compile"

    confirm = forms.BooleanField(
        label=_("I understand that this replaces the report's text with a new one from the notes."),
        required=True,
        error_messages={"required": _("Tick the box to compile the report again.")},
    )


class ReportFinaliseForm(forms.Form):
    prefix = "finalise"

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    confirm = forms.BooleanField(
        label=_(
            "The report is complete: the team leader may read it and it goes on the agenda of "
            "the next team meeting. It can no longer be changed."
        ),
        required=True,
        error_messages={"required": _("Tick the box to make the report final.")},
    )
