"""Whose turn it is to bring in a case: who presented at an earlier meeting this year."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import SmallGroup, SmallGroupMember

if TYPE_CHECKING:
    from meetings.models import Meeting


def presented_before(meeting: Meeting) -> set[int]:
    """Ids of members whose case was discussed in a small group at an earlier meeting of the PLG.

    The year is the PLG's: a community belongs to one school year, so its meetings are the year.
    """
    return set(
        SmallGroup.objects.filter(
            meeting__community_id=meeting.community_id,
            meeting__number__lt=meeting.number,
            case__isnull=False,
        ).values_list("case__presenter_id", flat=True)
    )


def earlier_groups(meeting: Meeting) -> list[list[int]]:
    """Who sat together at the PLG's earlier meetings: a flat list of groups of member ids.

    Not yet in casework.grouping's history shape (meetings of groups): wrap each group as its
    own meeting, which counts the same since a person has one seat per meeting.
    """
    groups: dict[int, list[int]] = {}
    seats = SmallGroupMember.objects.filter(
        meeting__community_id=meeting.community_id, meeting__number__lt=meeting.number
    ).values_list("group_id", "member_id")
    for group_id, member_id in seats:
        groups.setdefault(group_id, []).append(member_id)
    return list(groups.values())
