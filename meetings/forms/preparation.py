"""Forms for preparing a meeting. They check types; the services check the rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from plg_platform.forms import PersonChoiceField
from plg_platform.uploads import upload_field

from ..models import ChecklistItem, IntroductionKind, ThemeIntroduction
from ..phases import Phase, default_minutes
from ..selectors.preparation import development_team_members, meeting_agenda

if TYPE_CHECKING:
    from ..models import Meeting


class PreparersForm(forms.Form):
    """Pick the meeting's two preparers from the PLG's development-team members."""

    users = PersonChoiceField(
        label=_("Preparers"),
        queryset=None,
        required=False,  # the service says "choose exactly two", also for none
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose two development-team members."),
    )

    def __init__(self, *args, meeting: Meeting, **kwargs) -> None:
        kwargs.setdefault(
            "initial", {"users": list(meeting.preparers.values_list("user_id", flat=True))}
        )
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = development_team_members(meeting)


class PreparerHoursForm(forms.Form):
    hours = forms.DecimalField(
        label=_("My preparation hours"),
        min_value=0,
        max_value=40,
        max_digits=4,
        decimal_places=1,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("Clock hours, in steps of half an hour (for example 2.5)."),
    )

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if (hours * 2) % 1:
            raise forms.ValidationError(_("Use steps of half an hour (for example 2.5)."))
        return hours


class ThemeIntroductionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Form"), choices=IntroductionKind.choices)
    title = forms.CharField(
        label=_("Title or subject"),
        max_length=200,
        required=False,
        help_text=_("For example the title of the documentary or the article."),
    )
    speaker_name = forms.CharField(
        label=_("Speaker's name"),
        max_length=200,
        required=False,
        help_text=_("Needed for a guest speaker."),
    )
    speaker_organisation = forms.CharField(
        label=_("Speaker's organisation"),
        max_length=200,
        required=False,
        help_text=_("Needed for a guest speaker."),
    )
    details = forms.CharField(
        label=_("Details"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the group does in phase 0, what to read or bring beforehand."),
    )

    @classmethod
    def for_meeting(cls, meeting: Meeting, data=None) -> ThemeIntroductionForm:
        introduction = ThemeIntroduction.objects.filter(meeting=meeting).first()
        initial = {}
        if introduction is not None:
            initial = {name: getattr(introduction, name) for name in cls.base_fields}
        return cls(data, initial=initial, prefix="introduction")


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(
        label=_("Link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("A web address, or leave empty and choose a file."),
    )
    file = upload_field()

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "material")
        super().__init__(*args, **kwargs)


class AgendaForm(forms.Form):
    """A time box (whole minutes) and a note per phase; the service checks that they add up."""

    def __init__(self, *args, meeting: Meeting, suggested: bool = False, **kwargs) -> None:
        agenda = meeting_agenda(meeting)
        suggestion = default_minutes(agenda.total) if suggested else {}
        initial = {}
        for row in agenda.rows:
            initial[f"minutes_{row.phase.value}"] = suggestion.get(row.phase, row.minutes)
            initial[f"note_{row.phase.value}"] = row.note
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for phase in Phase:
            self.fields[f"minutes_{phase.value}"] = forms.IntegerField(
                label=format_lazy(_("{phase}: minutes"), phase=phase.label),
                # A text box keeps whatever was typed visible when it is refused (a number box drops it).
                widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "form-control"}),
            )
            self.fields[f"note_{phase.value}"] = forms.CharField(
                label=format_lazy(_("{phase}: note"), phase=phase.label),
                max_length=300,
                required=False,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )

    def full_clean(self) -> None:
        super().full_clean()
        # The agenda is laid out by hand as a table, so mark invalid inputs the Bootstrap way.
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"

    def phase_fields(self) -> list[tuple[Phase, forms.BoundField, forms.BoundField]]:
        return [
            (phase, self[f"minutes_{phase.value}"], self[f"note_{phase.value}"]) for phase in Phase
        ]

    @property
    def minutes(self) -> dict[Phase, int]:
        return {phase: self.cleaned_data[f"minutes_{phase.value}"] for phase in Phase}

    @property
    def notes(self) -> dict[Phase, str]:
        return {phase: self.cleaned_data[f"note_{phase.value}"] for phase in Phase}


class ChecklistTickForm(forms.Form):
    item = forms.ChoiceField(choices=ChecklistItem.choices)
    done = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1"
    )
