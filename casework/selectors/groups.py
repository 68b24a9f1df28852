"""Reads for the small groups of a meeting: who is present, the groups page, the meeting panel.

Privacy: nothing here reads a case's text. The groups page and the panel carry a case's title
and presenter at most, and the panel not even that (see casework.permissions).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from communities.models import Membership
from meetings.models import AbsenceStatus, AttendanceStatus
from meetings.selectors.attendance import group_members
from plg_platform.sql import all_rows, columns, instance, table

from ..models import CaseStatus, GroupSplit, SmallGroup, SmallGroupMember, WorkCase

if TYPE_CHECKING:
    from django.db.models import Field

    from meetings.models import Meeting
    from plg_platform.users.models import User

    from ..permissions import CaseworkAccess


def present_members(meeting: Meeting) -> list[Membership]:
    """The group members present at a meeting, each with its user, ordered by name.

    Once attendance is recorded it decides; before that everyone of the group is expected
    except those whose absence the team leader approved. External experts are guests and
    never sit in a small group.
    """
    members = group_members(meeting.community)
    if meeting.attendance.exists():
        present = meeting.attendance.filter(status=AttendanceStatus.PRESENT).values("member_id")
        return list(members.filter(user_id__in=present))
    excused = meeting.absence_requests.filter(status=AbsenceStatus.APPROVED).values("member_id")
    return list(members.exclude(user_id__in=excused))


def submitted_cases(meeting: Meeting) -> dict[int, WorkCase]:
    """The meeting's submitted cases by presenter id (text deferred: the split needs none)."""
    cases = WorkCase.objects.filter(meeting=meeting, status=CaseStatus.SUBMITTED).only(
        "pk", "meeting_id", "presenter_id", "title", "status"
    )
    return {case.presenter_id: case for case in cases}


def seated_groups(meeting: Meeting) -> dict[int, list[int]]:
    """Member ids per small-group id of the meeting."""
    seats: dict[int, list[int]] = {}
    for group_id, member_id in SmallGroupMember.objects.filter(meeting=meeting).values_list(
        "group_id", "member_id"
    ):
        seats.setdefault(group_id, []).append(member_id)
    return seats


@dataclass(frozen=True)
class CaseChoice:
    """A case as the groups page offers it: its title and presenter, never its text."""

    pk: int
    title: str
    presenter: User


@dataclass
class GroupRow:
    pk: int
    number: int
    leader: User | None
    case: CaseChoice | None
    members: list[User] = field(default_factory=list)
    # Submitted cases whose presenter sits in this group: the choices for its case.
    case_choices: list[CaseChoice] = field(default_factory=list)


@dataclass(frozen=True)
class GroupsPage:
    split: GroupSplit | None
    groups: list[GroupRow]
    # Submitted cases that no group discusses (more cases than groups, or presenter absent).
    cases_left_out: list[CaseChoice]

    @property
    def exist(self) -> bool:
        return bool(self.groups)


def groups_page(meeting: Meeting) -> GroupsPage:
    """Everything the groups page shows, in a fixed number of queries."""
    split = GroupSplit.objects.filter(meeting=meeting).select_related("made_by").first()
    groups = list(
        SmallGroup.objects.filter(meeting=meeting)
        .select_related("leader")
        .order_by("number")
        .only("pk", "number", "meeting_id", "case_id", "leader")
    )
    seats = (
        SmallGroupMember.objects.filter(meeting=meeting)
        .select_related("member")
        .order_by("member__name", "member__email")
    )
    cases = {
        case.pk: CaseChoice(pk=case.pk, title=case.title, presenter=case.presenter)
        for case in WorkCase.objects.filter(meeting=meeting, status=CaseStatus.SUBMITTED)
        .select_related("presenter")
        .only("pk", "title", "presenter")
        .order_by("title")
    }
    rows = {
        group.pk: GroupRow(
            pk=group.pk,
            number=group.number,
            leader=group.leader,
            case=cases.get(group.case_id) if group.case_id else None,
        )
        for group in groups
    }
    seat_of: dict[int, int] = {}
    for seat in seats:
        rows[seat.group_id].members.append(seat.member)
        seat_of[seat.member_id] = seat.group_id
    used = {group.case_id for group in groups if group.case_id}
    for case in cases.values():
        group_id = seat_of.get(case.presenter.pk)
        if group_id is not None:
            rows[group_id].case_choices.append(case)
    return GroupsPage(
        split=split,
        groups=list(rows.values()),
        cases_left_out=[case for pk, case in cases.items() if pk not in used],
    )


@dataclass(frozen=True)
class OwnGroup:
    number: int
    leader: User | None
    members: list[User]
    leads: bool
    presents: bool


def own_group(group_id: int, user: User) -> OwnGroup:
    """The group the user sits in: its number, leader, members by name and whether the user's
    case is its case.

    One plain SQL query (plg_platform.sql): the ORM's two cost 3 ms of CPU on every member's
    meeting page. tests/casework/test_own_group_sql.py holds it to the ORM.
    """
    sql, user_fields = _own_group_sql()
    width = len(user_fields)
    rows = all_rows(sql, {"group": group_id})
    if not rows:
        raise SmallGroup.DoesNotExist
    number, leader_id, presenter_id = rows[0][:3]
    leader_values = rows[0][3 : 3 + width]
    members = [
        instance(get_user_model(), user_fields, row[3 + width :])
        for row in rows
        if row[3 + width] is not None
    ]
    return OwnGroup(
        number=number,
        leader=instance(get_user_model(), user_fields, leader_values) if leader_id else None,
        members=members,
        leads=leader_id == user.pk,
        presents=presenter_id is not None and presenter_id == user.pk,
    )


@functools.cache
def _own_group_sql() -> tuple[str, list[Field]]:
    """The group's number, leader id and case presenter, its leader's columns, and one row per
    member (their columns) ordered by name; NULL member columns for a group without seats."""
    user = get_user_model()
    leader_columns, fields = columns(user, "l")
    member_columns, _ = columns(user, "u")
    sql = f"""
        SELECT g.number, g.leader_id, c.presenter_id, {leader_columns}, {member_columns}
        FROM {table(SmallGroup)} g
        LEFT JOIN {table(user)} l ON l.id = g.leader_id
        LEFT JOIN {table(WorkCase)} c ON c.id = g.case_id
        LEFT JOIN {table(SmallGroupMember)} s ON s.group_id = g.id
        LEFT JOIN {table(user)} u ON u.id = s.member_id
        WHERE g.id = %(group)s
        ORDER BY u.name, u.email
    """  # noqa: S608
    return sql, fields


def meeting_panel(meeting: Meeting, user: User, access: CaseworkAccess) -> dict[str, object]:
    """Context for templates/casework/meeting/_groups.html: one's own group, a link to split."""
    context: dict[str, object] = {}
    if access.own_group_id is not None:
        context["groups_own"] = own_group(access.own_group_id, user)
    if access.splits_groups:
        context["groups_made"] = (
            access.counts.groups_made
            if access.counts.groups_made is not None
            else SmallGroup.objects.filter(meeting=meeting).exists()
        )
    return context
