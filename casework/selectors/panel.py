"""The case-session section of the meeting page: each area adds its part."""

from __future__ import annotations

import dataclasses
import functools
from typing import TYPE_CHECKING

from django.db import connection

from meetings.models import Meeting, MeetingStatus
from plg_platform.sql import columns, from_db, instance, one_row, table

from ..models import (
    CaseStatus,
    MeetingEvaluation,
    MeetingEvaluationParticipation,
    MeetingReport,
    MeetingRun,
    Reflection,
    SmallGroup,
    WorkCase,
)
from ..permissions import CaseworkAccess, MeetingCounts, casework_access
from ..services.reflections import reflection_can_be_written
from . import cases, evaluations, groups, live, own, reflections, reports, steps

if TYPE_CHECKING:
    from django.db.models import Field

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
    # The meeting's phase-6 report (at most one per meeting).
    "report_id": "(SELECT id FROM {report} WHERE meeting_id = %(meeting)s)",
    "report_status": "(SELECT status FROM {report} WHERE meeting_id = %(meeting)s)",
}


# The viewer's own rows the areas need: (model, alias, join condition on the meeting `mt`).
_OWN_ROWS = {
    "case": (WorkCase, "w", "w.meeting_id = mt.id AND w.presenter_id = %(user)s"),
    "reflection": (Reflection, "r", "r.meeting_id = mt.id AND r.author_id = %(user)s"),
    "run": (MeetingRun, "mr", "mr.meeting_id = mt.id"),
}


@functools.cache
def _counts_sql(
    names: tuple[str, ...], rows: tuple[str, ...] = ()
) -> tuple[str, dict[str, list[Field]]]:
    """The query text, and per own row the fields in the order it selects them."""
    tables = {
        "case": table(WorkCase),
        "group": table(SmallGroup),
        "reflection": table(Reflection),
        "evaluation": table(MeetingEvaluation),
        "evaluated": table(MeetingEvaluationParticipation),
        "meeting": table(Meeting),
        "report": table(MeetingReport),
    }
    selects = [_COUNT_SQL[name].format(**tables) for name in names]
    joins, fields = [], {}
    for name in rows:
        model, alias, condition = _OWN_ROWS[name]
        selected, fields[name] = columns(model, alias)
        selects.append(selected)
        joins.append(f"LEFT JOIN {table(model)} {alias} ON {condition}")
    sql = (
        f"SELECT {', '.join(selects)} FROM {tables['meeting']} mt {' '.join(joins)}"  # noqa: S608
        " WHERE mt.id = %(meeting)s"
    )
    return sql, fields


def meeting_counts(meeting: Meeting, user: User, access: CaseworkAccess) -> MeetingCounts:
    """Read the numbers this viewer's areas need, and their own case, reflection and the live
    run, in one query (none when they need none).

    Plain SQL (plg_platform.sql): the same numbers built by the ORM from five correlated
    subqueries cost 10 ms of CPU on every meeting page, and each own row 1.5 ms more (the
    phase-6 report's id and status, read here too, 1.5 ms). The own
    rows are kept with the meeting (selectors.own; the run in the meeting's relation cache).
    tests/casework/test_meeting_counts.py holds both to the ORM.
    """
    names: list[str] = []
    rows: list[str] = []
    if access.lists_cases:
        names.append("submitted_cases")
    if access.splits_groups:
        names.append("groups_made")
    if access.member:
        rows += ["case", "run"]
        if reflection_can_be_written(meeting):
            names.append("shared_reflections")
            rows.append("reflection")
    if meeting.has_taken_place:
        if evaluations.reads_evaluations(access):
            names.append("evaluations")
        if access.member:
            names += ["evaluated", "next_starts_at"]
    if reports.shows_panel(meeting, access):
        names += ["report_id", "report_status"]
    if len(names) + len(rows) < 2:
        # One number costs one query either way: the area reads it itself.
        return MeetingCounts()
    sql, fields = _counts_sql(tuple(names), tuple(rows))
    row = one_row(
        sql,
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
    if row is None:  # the meeting is gone
        return MeetingCounts()
    values = dict(zip(names, row[: len(names)], strict=True))
    _keep_own_rows(meeting, user, rows, fields, list(row[len(names) :]))
    if "report_id" in values:
        values["report_read"] = True
    for name in ("groups_made", "evaluated"):
        if name in values:
            values[name] = bool(values[name])
    if "next_starts_at" in values:
        values["next_starts_at"] = from_db(
            values["next_starts_at"], Meeting._meta.get_field("starts_at")
        )
    return MeetingCounts(**values)


def _keep_own_rows(
    meeting: Meeting, user: User, rows: list[str], fields: dict[str, list[Field]], values: list
) -> None:
    read = {}
    for name in rows:
        count = len(fields[name])
        part, values = values[:count], values[count:]
        # The primary key is the first column: NULL when no row was joined.
        read[name] = (
            instance(_OWN_ROWS[name][0], fields[name], part) if part[0] is not None else None
        )
    if "run" in read:
        run = read.pop("run")
        MeetingRun.meeting.field.remote_field.set_cached_value(meeting, run)
        if run is not None:
            MeetingRun.meeting.field.set_cached_value(run, meeting)
    own.remember(meeting, user, read)
