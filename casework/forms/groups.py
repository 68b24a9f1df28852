"""Forms for the small groups: making a split, moving a member, a group's leader and case."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ..models import (
    DEFAULT_MAX_GROUP_SIZE,
    DEFAULT_MIN_GROUP_SIZE,
    CaseStatus,
    SmallGroup,
    WorkCase,
)
from ..services.groups import SMALLEST_ALLOWED

if TYPE_CHECKING:
    from meetings.models import Meeting

# The PLG itself has at most 15 people; a larger bound only invites typing errors.
LARGEST_ALLOWED = 15
NEW_GROUP = "new"


class GroupSplitForm(forms.Form):
    min_size = forms.IntegerField(
        label=_("Smallest group"),
        min_value=SMALLEST_ALLOWED,
        max_value=LARGEST_ALLOWED,
        initial=DEFAULT_MIN_GROUP_SIZE,
    )
    max_size = forms.IntegerField(
        label=_("Largest group"),
        min_value=SMALLEST_ALLOWED,
        max_value=LARGEST_ALLOWED,
        initial=DEFAULT_MAX_GROUP_SIZE,
    )
    group_count = forms.IntegerField(
        label=_("Number of groups (optional)"),
        min_value=1,
        max_value=LARGEST_ALLOWED,
        required=False,
        help_text=_(
            "Leave empty to make as many groups as there are development-team members present, "
            "within the sizes above."
        ),
    )

    def __init__(self, *args, groups_exist: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.groups_exist = groups_exist
        if groups_exist:
            self.fields["replace"] = forms.BooleanField(
                label=_("Replace the current groups"),
                help_text=_("The current groups and any moves made by hand are replaced."),
                error_messages={"required": _("Tick the box to replace the current groups.")},
            )


class GroupMoveForm(forms.Form):
    """Move one member of a small group to another group of the same meeting, or a new one."""

    member = forms.ModelChoiceField(queryset=get_user_model().objects.none())
    to_group = forms.CharField()

    def __init__(self, *args, meeting: Meeting, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["member"].queryset = get_user_model().objects.filter(
            small_group_seats__meeting=meeting
        )

    def clean_to_group(self) -> SmallGroup | None:
        value = self.cleaned_data["to_group"]
        if value == NEW_GROUP:
            return None
        group = (
            SmallGroup.objects.filter(meeting=self.meeting, pk=value).first()
            # isdecimal, not isdigit: "²" is a digit that int() refuses; ids fit in 32 bits.
            if value.isdecimal() and len(value) < 10
            else None
        )
        if group is None:
            raise forms.ValidationError(_("Choose one of this meeting's small groups."))
        return group


class GroupUpdateForm(forms.Form):
    """A group's leader and case, chosen by hand."""

    leader = forms.ModelChoiceField(
        label=_("Group leader"), queryset=get_user_model().objects.none(), required=False
    )
    case = forms.ModelChoiceField(
        label=_("Work case"), queryset=WorkCase.objects.none(), required=False
    )

    def __init__(self, *args, meeting: Meeting, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Any member of the PLG and any submitted case of the meeting: the service says
        # clearly who does not sit in the group.
        self.fields["leader"].queryset = get_user_model().objects.filter(
            memberships__community_id=meeting.community_id
        )
        self.fields["case"].queryset = WorkCase.objects.filter(
            meeting=meeting, status=CaseStatus.SUBMITTED
        )
