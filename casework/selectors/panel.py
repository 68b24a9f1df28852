"""The case-session section of the meeting page: each area adds its part."""

from __future__ import annotations

import dataclasses
import functools
from typing import TYPE_CHECKING

from django.db import connection

from meetings.models import Meeting, MeetingStatus
from plg_platform.sql import from_db, one_row, table

from ..models import (
    CaseStatus,
    MeetingEvaluation,
    MeetingEvaluationParticipation,
    Reflection,
    SmallGroup,
    WorkCase,
)
from ..permissions import CaseworkAccess, MeetingCounts, casework_access
from ..services.reflections import reflection_can_be_written
from . import cases, evaluations, groups, live, reflections, reports, steps

if TYPE_CHECKING:
    from meetings.permissions import MeetingAccess
    from plg_platform.users.models import User

AREAS = (cases, groups, live, steps, reflections, evaluations, reports)


def meeting_panel(meeting: Meeting, user: User, access: MeetingAccess) -> dict[str, object]:
    """Context for templates/casework/meeting/_casework.html (one access check for all areas)."""
    casework = casework_access(user, meeting, access)
    casework = dataclasses.replace(casework, counts=meeting_counts(meeting, user, casework))
    context: dict[str, object] = {"casework": casework}
    for area in AREAS:
        context.update(area.meeting_panel(meeting, user, casework))
    return context


# Each number the meeting page may need, as an SQL expression over the meeting's rows.
_COUNT_SQL = {
    "submitted_cases": (
        "(SELECT COUNT(*) FROM {case} WHERE meeting_id = %(meeting)s AND status = %(submitted)s)"
    ),
    "groups_made": "EXISTS (SELECT 1 FROM {group} WHERE meeting_id = %(meeting)s)",
    "shared_reflections": (
        "(SELECT COUNT(*) FROM {reflection} WHERE meeting_id = %(meeting)s AND shared = %(yes)s)"
    ),
    "evaluations": "(SELECT COUNT(*) FROM {evaluation} WHERE meeting_id = %(meeting)s)",
    "evaluated": (
        "EXISTS (SELECT 1 FROM {evaluated} WHERE meeting_id = %(meeting)s AND user_id = %(user)s)"
    ),
    # The rule of `evaluation_closes_at`: the window closes when the next meeting starts.
    "next_starts_at": (
        "(SELECT starts_at FROM {meeting} WHERE community_id = %(community)s"
        " AND starts_at > %(starts_at)s AND status <> %(cancelled)s ORDER BY starts_at LIMIT 1)"
    ),
}


@functools.cache
def _counts_sql(names: tuple[str, ...]) -> str:
    tables = {
        "case": table(WorkCase),
        "group": table(SmallGroup),
        "reflection": table(Reflection),
        "evaluation": table(MeetingEvaluation),
        "evaluated": table(MeetingEvaluationParticipation),
        "meeting": table(Meeting),
    }
    return "SELECT " + ", ".join(_COUNT_SQL[name].format(**tables) for name in names)


def meeting_counts(meeting: Meeting, user: User, access: CaseworkAccess) -> MeetingCounts:
    """Read the numbers this viewer's areas need in one query (none when they need none).

    Plain SQL (plg_platform.sql): the same query built by the ORM from five correlated
    subqueries cost 10 ms of CPU on every meeting page.
    """
    names: list[str] = []
    if access.lists_cases:
        names.append("submitted_cases")
    if access.splits_groups:
        names.append("groups_made")
    if access.member and reflection_can_be_written(meeting):
        names.append("shared_reflections")
    if meeting.has_taken_place:
        if evaluations.reads_evaluations(access):
            names.append("evaluations")
        if access.member:
            names += ["evaluated", "next_starts_at"]
    if len(names) < 2:
        # One number costs one query either way: the area reads it itself.
        return MeetingCounts()
    row = one_row(
        _counts_sql(tuple(names)),
        {
            "meeting": meeting.pk,
            "community": meeting.community_id,
            "user": user.pk,
            "submitted": CaseStatus.SUBMITTED.value,
            "cancelled": MeetingStatus.CANCELLED.value,
            "yes": True,
            "starts_at": connection.ops.adapt_datetimefield_value(meeting.starts_at),
        },
    )
    values = dict(zip(names, row, strict=True))
    for name in ("groups_made", "evaluated"):
        if name in values:
            values[name] = bool(values[name])
    if "next_starts_at" in values:
        values["next_starts_at"] = from_db(
            values["next_starts_at"], Meeting._meta.get_field("starts_at")
        )
    return MeetingCounts(**values)
