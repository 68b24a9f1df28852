"""Forms for the teacher leaders' own PLG: which year to set up, the note-taker, the notes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import School, SchoolYear

from ..models import LeaderMeetingNotes

if TYPE_CHECKING:
    from plg_platform.users.models import User


class LeaderPlgSetupForm(forms.Form):
    school_year = forms.ModelChoiceField(
        label=_("School year"),
        queryset=SchoolYear.objects.none(),
        error_messages={
            "required": _("Choose the school year to set up."),
            "invalid_choice": _("Choose one of this school's years."),
        },
    )

    def __init__(self, *args: Any, school: School, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school_year"].queryset = SchoolYear.objects.filter(school=school)


class NoteTakerForm(forms.Form):
    writer = forms.TypedChoiceField(
        label=_("Note-taker"),
        coerce=int,
        error_messages={
            "required": _("Choose the note-taker."),
            "invalid_choice": _("Choose one of the teacher leaders of this PLG."),
        },
    )

    def __init__(self, *args: Any, members: Sequence[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {user.pk: user for user in members}
        self.fields["writer"].choices = [(user.pk, user.display_name) for user in members]

    @property
    def chosen(self) -> User:
        return self.members[self.cleaned_data["writer"]]


class LeaderNotesForm(forms.Form):
    text = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=LeaderMeetingNotes._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "What was shared and agreed. Keep names of pupils and colleagues out; the programme "
            "lead reads these notes."
        ),
    )
