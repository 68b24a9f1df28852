"""Forms for the theme calendar: the theme library, proposals, and choosing a meeting's theme."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import Meeting, MeetingStatus, Theme, ThemeProposal

if TYPE_CHECKING:
    from ..selectors.themes import ThemeOptions

TITLE_MAX_LENGTH = Theme._meta.get_field("title").max_length


class ThemeForm(forms.Form):
    """Add a theme to the school's library, or rename and describe one."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the theme is about, in a few sentences."),
    )


class ThemeProposalForm(forms.Form):
    title = forms.CharField(label=_("Theme"), max_length=TITLE_MAX_LENGTH)
    why = forms.CharField(
        label=_("Why it matters to me"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    example = forms.CharField(
        label=_("A case that shows it"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A recent situation from your teaching. Leave out pupils' names."),
    )


class ThemeChoiceField(forms.ChoiceField):
    """One select with the PLG's proposals and the school's themes, cleaned to the object.

    Values are "proposal:<pk>" or "theme:<pk>"; an empty choice cleans to None.
    """

    def __init__(self, *, options: ThemeOptions, **kwargs) -> None:
        self._objects: dict[str, Theme | ThemeProposal] = {}
        choices: list[tuple[str, object]] = [("", _("— choose a theme —"))]
        proposals = []
        for row in options.proposals:
            value = f"proposal:{row.proposal.pk}"
            self._objects[value] = row.proposal
            if options.ranked:
                votes = ngettext("%(count)d vote", "%(count)d votes", row.votes or 0) % {
                    "count": row.votes or 0
                }
                label = f"{row.place}. {row.proposal.title} ({votes})"
            else:
                label = row.proposal.title
            proposals.append((value, label))
        if proposals:
            group = _("Proposals, ranked by votes") if options.ranked else _("Proposals")
            choices.append((group, proposals))
        for group, themes in (
            (_("Theme library"), options.library),
            (_("Other themes of this school"), options.others),
        ):
            entries = []
            for theme in themes:
                value = f"theme:{theme.pk}"
                self._objects[value] = theme
                entries.append((value, theme.title))
            if entries:
                choices.append((group, entries))
        super().__init__(choices=choices, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return self._objects.get(value) if value else None


def theme_value(theme: Theme | None) -> str:
    return f"theme:{theme.pk}" if theme is not None else ""


class MeetingThemeForm(forms.Form):
    """Change one meeting's theme; replacing a fixed theme needs a reason."""

    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Needed when the meeting already has a theme: what urgent matter came up? "
            "The reason is kept in the meeting's history."
        ),
    )

    def __init__(self, *args, options: ThemeOptions, meeting: Meeting, **kwargs) -> None:
        kwargs.setdefault("initial", {"choice": theme_value(meeting.theme)})
        super().__init__(*args, **kwargs)
        self.fields["choice"] = ThemeChoiceField(options=options, label=_("Theme"))
        # The theme first, then the reason.
        self.order_fields(["choice", "reason"])

    def clean_choice(self):
        choice = self.cleaned_data["choice"]
        if choice is None:
            raise forms.ValidationError(_("Choose a theme."), code="required")
        return choice


def meeting_field_name(number: int) -> str:
    return f"meeting_{number}"


class MeetingThemesFixForm(forms.Form):
    """Fix the themes of meetings 2-5 at once, from the ranked proposals or the library."""

    reason = forms.CharField(
        label=_("Reason for a change"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only needed when you replace a theme that was fixed before; "
            "it is kept in the meeting's history."
        ),
    )

    def __init__(self, *args, options: ThemeOptions, meetings: list[Meeting], **kwargs) -> None:
        initial = {meeting_field_name(m.number): theme_value(m.theme) for m in meetings}
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.meetings = meetings
        for meeting in meetings:
            held = meeting.status in (MeetingStatus.HELD, MeetingStatus.REPORTED)
            self.fields[meeting_field_name(meeting.number)] = ThemeChoiceField(
                options=options,
                label=str(meeting),
                required=False,
                disabled=held,
                help_text=_("This meeting has been held.") if held else "",
            )
        self.order_fields([meeting_field_name(m.number) for m in meetings] + ["reason"])

    @property
    def choices(self) -> dict[int, Theme | ThemeProposal | None]:
        return {
            meeting.number: self.cleaned_data.get(meeting_field_name(meeting.number))
            for meeting in self.meetings
        }
