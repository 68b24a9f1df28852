"""Beat's reminder run, delivered twice through the broker to real workers, mails each once.

Like tests/worker/test_celery_worker.py: the worker is its own process on the same (committed)
database and the configured broker (the filesystem transport here, Redis in CI's second run).
A worker process cannot be time-frozen, so the meetings are placed relative to the real now.
The second test starts a second worker process, so two runs are delivered at the same time.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
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
    ReminderSchedule,
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


def _school_with_due_reminders(*, upcoming_reminder: bool = False) -> set[str]:
    """A PLG whose meeting was yesterday-ish (reflections due) and whose next one is in three
    days (a case deadline due, and with `upcoming_reminder` the meeting reminder to all three
    members); return who should get a reminder."""
    school = School.objects.create(name="Worker College")
    if upcoming_reminder:
        ReminderSchedule.objects.create(school=school, meeting_second_days=3)
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


@pytest.fixture
def second_worker(worker: Path):
    """A second worker process next to `worker`, on the same database, broker and mail folder."""
    # The first worker's environment, rebuilt from the test database and its mail folder.
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "plg_platform.settings.test",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(worker),
    }
    if database["ENGINE"].endswith("sqlite3"):
        env["DATABASE_URL"] = f"sqlite:///{database['NAME']}"
    else:
        host = database["HOST"] or "127.0.0.1"
        port = database["PORT"] or 5432
        env["DATABASE_URL"] = f"postgres://{database['USER']}@{host}:{port}/{database['NAME']}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "plg_platform",
            "worker",
            "--pool=solo",
            "--hostname=second@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],  # fmt: skip
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield worker
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
        if process.returncode not in (0, -15):
            print(output)


def test_two_runs_delivered_at_the_same_time_mail_each_reminder_once(second_worker: Path) -> None:
    members = _school_with_due_reminders(upcoming_reminder=True)

    # Both are on the broker before either result is awaited: two workers run them together.
    pending = [reminders_run.delay(), reminders_run.delay()]
    results = [result.get(timeout=90) for result in pending]

    # Three protocol reminders and three meeting reminders, each recorded and mailed once.
    assert sum(result["created"] for result in results) == 6
    assert sum(result["sent"] for result in results) == 6
    assert Counter(_mailed_to(second_worker)) == {email: 2 for email in members}
    rows = Notification.objects.all()
    assert Counter(row.kind for row in rows) == {
        NotificationKind.MEETING_UPCOMING: 3,
        NotificationKind.CASE_DEADLINE: 1,
        NotificationKind.REFLECTION_PROMPT: 2,
    }
    assert all(row.sent_at is not None and row.claim for row in rows)

    again = reminders_run.delay().get(timeout=90)
    assert (again["created"], again["sent"]) == (0, 0)
