"""Reads for first small steps: one's own list, one step to look back on, the meeting-page panel.

A step is read by its presenter here; the presenter's small group reads it at the next meeting's
phase 4 (selectors.live.earlier_first_steps).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404

from plg_platform.sql import all_rows, columns, instance, table

from ..models import NextStep, PhaseNote, StepStatus
from ..permissions import run_of

if TYPE_CHECKING:
    from django.db.models import Field, QuerySet

    from meetings.models import Meeting
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
        context["steps_to_review"] = list(
            _steps()
            .filter(
                presenter=user,
                status=StepStatus.OPEN,
                meeting__community_id=meeting.community_id,
                meeting__number__lt=meeting.number,
            )
            .order_by("-meeting__number")
        )
    else:
        context["steps_here"] = steps_here(meeting, user)
    return context


def steps_here(meeting: Meeting, user: User) -> list[NextStep]:
    """The user's first small steps from this meeting, each with its note, oldest first.

    Plain SQL (plg_platform.sql): the ORM took 3 ms of CPU to build it on every meeting page.
    The steps carry this meeting object. tests/casework/test_meeting_counts.py holds it to the ORM.
    """
    sql, step_fields, note_fields = _steps_here_sql()
    steps = []
    for values in all_rows(sql, {"meeting": meeting.pk, "user": user.pk}):
        step = instance(NextStep, step_fields, values[: len(step_fields)])
        note = instance(PhaseNote, note_fields, values[len(step_fields) :])
        NextStep.note.field.set_cached_value(step, note)
        step.meeting = meeting
        steps.append(step)
    return steps


@functools.cache
def _steps_here_sql() -> tuple[str, list[Field], list[Field]]:
    step_columns, step_fields = columns(NextStep, "s")
    note_columns, note_fields = columns(PhaseNote, "n")
    sql = f"""
        SELECT {step_columns}, {note_columns}
        FROM {table(NextStep)} s
        JOIN {table(PhaseNote)} n ON n.id = s.note_id
        WHERE s.meeting_id = %(meeting)s AND s.presenter_id = %(user)s
        ORDER BY s.id
    """  # noqa: S608
    return sql, step_fields, note_fields
