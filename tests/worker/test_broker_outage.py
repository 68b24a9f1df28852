"""Nothing is lost while the broker is down: requests succeed, and once it is back the sweep
delivers every waiting notice exactly once.

With Redis (CI's second run) the test really stops the Redis server and starts it again. On the
embedded filesystem transport, which cannot be stopped, the web side publishes to an address
where no broker listens instead.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, Membership, School, SchoolYear, Team
from meetings.models import AbsenceRequest, Meeting, Notification, NotificationKind
from meetings.tasks import reminders_run
from plg_platform.celery import app
from plg_platform.users.models import User
from tests.test_queue import broker_down as publishing_to_nowhere
from tests.worker.test_reminders_worker import _mailed_to

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

REDIS = (
    urlsplit(settings.CELERY_BROKER_URL) if settings.CELERY_BROKER_URL.startswith("redis") else None
)


def _redis(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["redis-cli", "-h", REDIS.hostname, "-p", str(REDIS.port or 6379), *args],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def _start_redis() -> None:
    if _redis("ping").stdout.strip() == "PONG":
        return
    subprocess.run(
        [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            REDIS.hostname,
            "--port",
            str(REDIS.port or 6379),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        check=True,
        timeout=30,
    )
    for _ in range(100):
        if _redis("ping").stdout.strip() == "PONG":
            return
        time.sleep(0.1)
    raise RuntimeError("Redis did not come back")


@contextmanager
def broker_stopped() -> Iterator[None]:
    if REDIS is None:
        with publishing_to_nowhere():
            yield
        return
    # The web side publishes for real (tests otherwise run tasks in-process).
    eager, app.conf.task_always_eager = app.conf.task_always_eager, False
    _redis("shutdown", "nosave")
    try:
        assert _redis("ping").returncode != 0, "Redis still answers"
        yield
    finally:
        app.conf.task_always_eager = eager
        _start_redis()


def _plg_meeting_in_ten_days() -> tuple[Meeting, list[User], User]:
    today = timezone.localdate()
    school = School.objects.create(name="Outage College")
    year = SchoolYear.objects.create(
        school=school,
        name="this year",
        starts_on=today - dt.timedelta(days=100),
        ends_on=today + dt.timedelta(days=200),
    )
    team = Team.objects.create(school=school, name="Team O")
    leader = User.objects.create_user(email="leader@outage.example", name="Lea Leader")
    team.leaders.add(leader)
    community = Community.objects.create(team=team, school_year=year, name="PLG Outage")
    starts = dt.datetime.combine(
        # Ten days ahead: no meeting reminder is due, only the absence notices.
        today + dt.timedelta(days=10),
        dt.time(15, 30),
        tzinfo=timezone.get_default_timezone(),
    )
    meeting = Meeting.objects.create(community=community, number=1, starts_at=starts)
    members = []
    for name in ("anna", "bram"):
        user = User.objects.create_user(email=f"{name}@outage.example", name=name.title())
        Membership.objects.create(community=community, user=user, is_participant=True)
        members.append(user)
    return meeting, members, leader


def test_notices_made_while_the_broker_is_down_are_delivered_once_when_it_is_back(
    client, request
) -> None:
    meeting, members, leader = _plg_meeting_in_ten_days()

    with broker_stopped():
        for member in members:
            client.force_login(member)
            response = client.post(
                reverse("meetings:absence_request", args=[meeting.pk]),
                {"reason": "Ziek thuis"},
            )
            assert response.status_code == 302

    assert AbsenceRequest.objects.filter(meeting=meeting).count() == 2
    waiting = Notification.objects.filter(kind=NotificationKind.ABSENCE_SUBMITTED)
    assert waiting.count() == 2
    assert not waiting.filter(sent_at__isnull=False).exists()

    # The broker is back; the worker starts and beat's sweep runs, twice for good measure.
    mail_dir: Path = request.getfixturevalue("worker")
    assert reminders_run.delay().get(timeout=90)["sent"] == 2
    assert reminders_run.delay().get(timeout=90)["sent"] == 0

    assert _mailed_to(mail_dir) == [leader.email, leader.email]
    assert waiting.filter(sent_at__isnull=False).count() == 2
