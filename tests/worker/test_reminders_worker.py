"""Beat's reminder run, delivered twice through the broker to a real worker, mails each once.

Like tests/worker/test_celery_worker.py: the worker is its own process on the same (committed)
database and the configured broker (the filesystem transport here, Redis in CI's second run).
A worker process cannot be time-frozen, so the meetings are placed relative to the real now.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from casework.models import CaseStatus, WorkCase
from communities.models import Community, Membership, School, SchoolYear, Team
from meetings import reminders
from meetings.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    Notification,
    NotificationKind,
)
from meetings.tasks import reminders_run
from plg_platform.users.models import User

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

MEETING_TIME = dt.time(15, 30)


def _reminder_day() -> dt.date:
    """The local day whose early-morning reminders are due right now (within their grace)."""
    now = timezone.localtime()
    return now.date() if now.time() >= reminders.REMINDER_TIME else now.date() - dt.timedelta(1)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, MEETING_TIME, tzinfo=timezone.get_default_timezone())


def _person(community: Community, name: str) -> User:
    user = User.objects.create_user(email=f"{name}@worker.example", name=name.title())
    Membership.objects.create(community=community, user=user, is_participant=True)
    return user


def _school_with_due_reminders() -> set[str]:
    """A PLG whose meeting was yesterday-ish (reflections due) and whose next one is in three
    days (a case deadline due); return who should get a reminder."""
    school = School.objects.create(name="Worker College")
    year = SchoolYear.objects.create(
        school=school,
        name="this year",
        starts_on=timezone.localdate() - dt.timedelta(days=200),
        ends_on=timezone.localdate() + dt.timedelta(days=200),
    )
    team = Team.objects.create(school=school, name="Team A")
    community = Community.objects.create(team=team, school_year=year, name="PLG Worker")
    day = _reminder_day()
    held = Meeting.objects.create(
        community=community, number=1, starts_at=_at(day - dt.timedelta(1))
    )
    upcoming = Meeting.objects.create(
        community=community, number=2, starts_at=_at(day + dt.timedelta(3))
    )
    present = [_person(community, "anna"), _person(community, "bram")]
    for user in present:
        Attendance.objects.create(meeting=held, member=user, status=AttendanceStatus.PRESENT)
    drafter = _person(community, "carla")
    WorkCase.objects.create(
        meeting=upcoming,
        presenter=drafter,
        title="Half-written case",
        situation="s",
        question="q",
        status=CaseStatus.DRAFT,
    )
    return {user.email for user in [*present, drafter]}


def _mailed_to(mail_dir: Path) -> list[str]:
    """Every message's To: address; the file backend keeps one file per connection."""
    return sorted(
        line.removeprefix("To: ").strip()
        for path in mail_dir.iterdir()
        for line in path.read_text().splitlines()
        if line.startswith("To: ")
    )


def test_beat_run_twice_through_the_broker_mails_each_reminder_once(worker: Path) -> None:
    expected = _school_with_due_reminders()

    first = reminders_run.delay().get(timeout=90)
    second = reminders_run.delay().get(timeout=90)

    assert first["created"] == first["sent"] == 3
    assert second["created"] == second["sent"] == 0
    assert _mailed_to(worker) == sorted(expected)
    rows = Notification.objects.all()
    assert {row.kind for row in rows} == {
        NotificationKind.CASE_DEADLINE,
        NotificationKind.REFLECTION_PROMPT,
    }
    assert all(row.sent_at is not None for row in rows)
