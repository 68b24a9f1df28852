"""Reads for first small steps: one's own list, one step to look back on, the meeting-page panel.

A step is read by its presenter here; the presenter's small group reads it at the next meeting's
phase 4 (selectors.live.earlier_first_steps).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404

from meetings.models import Meeting, Theme
from plg_platform.sql import all_rows, columns, instance, table

from ..models import NextStep, PhaseNote, StepStatus
from ..permissions import run_of

if TYPE_CHECKING:
    from django.db.models import Field, QuerySet

    from plg_platform.users.models import User

    from ..permissions import CaseworkAccess


def _steps() -> QuerySet[NextStep]:
    return NextStep.objects.select_related("note", "meeting__community", "meeting__theme")


def own_steps(user: User) -> list[NextStep]:
    """The user's first small steps as a presenter, newest meeting first."""
    return list(_steps().filter(presenter=user).order_by("-meeting__starts_at", "-pk"))


def get_own_step(user: User, pk: int) -> NextStep:
    """A first small step of the user's own; 404 for anyone else's."""
    return get_object_or_404(_steps(), pk=pk, presenter=user)


def meeting_panel(meeting: Meeting, user: User, access: CaseworkAccess) -> dict[str, object]:
    """Before a meeting: the viewer's open steps from earlier meetings; after it: this one's."""
    context: dict[str, object] = {"steps_to_review": [], "steps_here": []}
    if not access.member:
        return context
    run = run_of(meeting)
    if run is None and not meeting.has_taken_place:
        context["steps_to_review"] = steps_to_review(meeting, user)
    else:
        context["steps_here"] = steps_here(meeting, user)
    return context


# The meeting page's two lists are plain SQL (plg_platform.sql): the ORM took 3-4 ms of CPU to
# build each, on every member's meeting page. tests/casework/test_meeting_counts.py holds them
# to the ORM.


def steps_here(meeting: Meeting, user: User) -> list[NextStep]:
    """The user's first small steps from this meeting, each with its note, oldest first; they
    carry this meeting object."""
    sql, step_fields, note_fields = _steps_sql(earlier=False)
    steps = []
    for values in all_rows(sql, {"meeting": meeting.pk, "user": user.pk}):
        step = _step(values, step_fields, note_fields)
        step.meeting = meeting
        steps.append(step)
    return steps


def steps_to_review(meeting: Meeting, user: User) -> list[NextStep]:
    """The user's open first small steps from the PLG's earlier meetings, the latest first, each
    with its note and its meeting (with the meeting's theme; its PLG is this meeting's)."""
    sql, step_fields, note_fields = _steps_sql(earlier=True)
    meeting_fields = _meeting_fields()
    params = {
        "user": user.pk,
        "open": StepStatus.OPEN.value,
        "community": meeting.community_id,
        "number": meeting.number,
    }
    steps = []
    width = len(step_fields) + len(note_fields)
    for values in all_rows(sql, params):
        step = _step(values[:width], step_fields, note_fields)
        earlier = instance(Meeting, meeting_fields, values[width : width + len(meeting_fields)])
        theme_values = values[width + len(meeting_fields) :]
        theme = (
            instance(Theme, _theme_fields(), theme_values) if theme_values[0] is not None else None
        )
        Meeting.theme.field.set_cached_value(earlier, theme)
        earlier.community = meeting.community
        step.meeting = earlier
        steps.append(step)
    return steps


def _step(values: list, step_fields: list[Field], note_fields: list[Field]) -> NextStep:
    step = instance(NextStep, step_fields, values[: len(step_fields)])
    NextStep.note.field.set_cached_value(
        step, instance(PhaseNote, note_fields, values[len(step_fields) :])
    )
    return step


def _meeting_fields() -> list[Field]:
    return list(Meeting._meta.concrete_fields)


def _theme_fields() -> list[Field]:
    return list(Theme._meta.concrete_fields)


@functools.cache
def _steps_sql(*, earlier: bool) -> tuple[str, list[Field], list[Field]]:
    """This meeting's steps of the user (`earlier=False`), or their open steps from the PLG's
    earlier meetings with those meetings and themes (`earlier=True`)."""
    step_columns, step_fields = columns(NextStep, "s")
    note_columns, note_fields = columns(PhaseNote, "n")
    if not earlier:
        sql = f"""
            SELECT {step_columns}, {note_columns}
            FROM {table(NextStep)} s
            JOIN {table(PhaseNote)} n ON n.id = s.note_id
            WHERE s.meeting_id = %(meeting)s AND s.presenter_id = %(user)s
            ORDER BY s.id
        """  # noqa: S608
        return sql, step_fields, note_fields
    meeting_columns, _ = columns(Meeting, "m")
    theme_columns, _ = columns(Theme, "t")
    sql = f"""
        SELECT {step_columns}, {note_columns}, {meeting_columns}, {theme_columns}
        FROM {table(NextStep)} s
        JOIN {table(PhaseNote)} n ON n.id = s.note_id
        JOIN {table(Meeting)} m ON m.id = s.meeting_id
        LEFT JOIN {table(Theme)} t ON t.id = m.theme_id
        WHERE s.presenter_id = %(user)s AND s.status = %(open)s
          AND m.community_id = %(community)s AND m.number < %(number)s
        ORDER BY m.number DESC, s.id
    """  # noqa: S608
    return sql, step_fields, note_fields
