"""The casework collectors and send-time checks run the same number of queries for 2 and 20 PLGs."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import CaseStatus, NextStep, NoteField, PhaseNote, WorkCase
from casework.reminders import CHECKS, COLLECTORS
from meetings.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingPreparer,
    Notification,
    NotificationKind,
    ReminderSchedule,
)
from meetings.reminders import Schedules
from meetings.services.notifications import ROW_RELATED, notifications_create
from tests.factories import CommunityFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
HELD = dt.datetime(2026, 10, 6, 15, 30, tzinfo=AMSTERDAM)
NEXT = dt.datetime(2026, 10, 20, 15, 30, tzinfo=AMSTERDAM)
MEMBERS_PER_PLG = 3
# For each kind, a moment it is due for every PLG built below.
DUE_AT = {
    NotificationKind.REFLECTION_PROMPT: dt.datetime(2026, 10, 7, 6, 30, tzinfo=AMSTERDAM),
    NotificationKind.REPORT_OVERDUE: dt.datetime(2026, 10, 9, 6, 30, tzinfo=AMSTERDAM),
    NotificationKind.STEP_FOLLOW_UP: dt.datetime(2026, 10, 15, 6, 30, tzinfo=AMSTERDAM),
    NotificationKind.CASE_DEADLINE: dt.datetime(2026, 10, 17, 6, 30, tzinfo=AMSTERDAM),
}


def _plg(world, index: int) -> None:
    """A PLG with a held meeting (attendance, preparers, an open step) and a next one (a draft)."""
    community = CommunityFactory(team=world.team, school_year=world.school_year)
    members = [UserFactory() for _ in range(MEMBERS_PER_PLG)]
    for user in members:
        MembershipFactory(community=community, user=user, is_participant=True)
    held = Meeting.objects.create(community=community, number=1, starts_at=HELD)
    upcoming = Meeting.objects.create(community=community, number=2, starts_at=NEXT)
    for user in members:
        Attendance.objects.create(meeting=held, member=user, status=AttendanceStatus.PRESENT)
    MeetingPreparer.objects.create(meeting=held, user=members[0])
    note = PhaseNote.objects.create(meeting=held, field=NoteField.FIRST_STEP, text="step")
    NextStep.objects.create(note=note, meeting=held, presenter=members[1])
    WorkCase.objects.create(
        meeting=upcoming,
        presenter=members[2],
        title=f"Draft {index}",
        situation="s",
        question="q",
        status=CaseStatus.DRAFT,
    )


def _queries(kind: str, plgs: int, world) -> tuple[int, int, int]:
    """(collector queries, due count, check queries) for `kind` with `plgs` PLGs."""
    for index in range(plgs - Meeting.objects.filter(starts_at=HELD).count()):
        _plg(world, index)
    now = DUE_AT[kind]
    schedules = Schedules(ReminderSchedule.objects.all())
    with CaptureQueriesContext(connection) as collecting:
        dues = list(COLLECTORS[kind](now, schedules))
    notifications_create(dues=dues, now=now)
    rows = list(Notification.objects.filter(kind=kind).select_related(*ROW_RELATED))
    with CaptureQueriesContext(connection) as checking:
        assert CHECKS[kind](rows, now) == set()
    return len(collecting), len(dues), len(checking)


@pytest.mark.parametrize("kind", list(DUE_AT))
def test_collector_and_check_queries_do_not_grow_with_the_number_of_plgs(world, kind) -> None:
    small = _queries(kind, 2, world)
    large = _queries(kind, 20, world)

    assert large[1] == 10 * small[1] > 0
    assert large[0] == small[0]
    assert large[2] == small[2]
