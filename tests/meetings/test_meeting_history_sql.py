"""The meeting page's history, read as plain SQL, is the ORM's `select_related("actor")` list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import ChangeKind, MeetingChange
from meetings.selectors.plan import meeting_history

pytestmark = pytest.mark.django_db


def _values(row) -> list[object]:
    return [getattr(row, field.attname) for field in row._meta.concrete_fields]


def test_the_history_is_the_orms_newest_first_with_its_actors(meetings, teacher_leader):
    meeting = meetings[0]
    planned_at = meeting.changes.get().changed_at  # the year plan wrote the first entry
    MeetingChange.objects.create(
        meeting=meeting,
        actor=None,  # an erased account
        changed_at=planned_at + dt.timedelta(days=1),
        kind=ChangeKind.MOVED,
        data={"from": "2026-09-01T15:30", "reason": "Sports day <b>"},
    )
    # Two at the same moment: the later id first, as the ORM's order has it.
    for note in ("first", "second"):
        MeetingChange.objects.create(
            meeting=meeting,
            actor=teacher_leader,
            changed_at=planned_at + dt.timedelta(days=2),
            description=note,
        )
    MeetingChange.objects.create(meeting=meetings[1], actor=teacher_leader, description="other")

    with CaptureQueriesContext(connection) as queries:
        read = meeting_history(meeting)
        actors = [change.actor for change in read]
    orm = list(meeting.changes.select_related("actor").order_by("-changed_at", "-pk"))

    assert len(queries) == 1
    assert [_values(change) for change in read] == [_values(change) for change in orm]
    assert [change.description for change in read[:2]] == ["second", "first"]
    assert [actor and _values(actor) for actor in actors] == [
        change.actor and _values(change.actor) for change in orm
    ]
    assert read[2].actor is None
    assert read[2].data["reason"] == "Sports day <b>"
