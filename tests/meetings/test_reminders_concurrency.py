"""Two reminder runs at the same moment (two workers, or beat firing twice) send each mail once.

Real transactions and two threads with their own database connections: on SQLite the test
database is a file (settings.test), in CI the same test runs on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.core import mail
from django.db import connections

from meetings.models import Notification, NotificationKind
from meetings.services.notifications import reminders_run
from tests.meetings.reminder_support import first_run_before

pytestmark = pytest.mark.django_db(transaction=True)


def _run_together(now, runs: int = 2) -> list[BaseException]:
    start = threading.Barrier(runs)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            reminders_run(now=now)
        except BaseException as error:  # noqa: BLE001 -- reported by the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_two_runs_at_once_send_each_reminder_exactly_once(
    before_the_year, meetings, participant, development_team, teacher_leader
) -> None:
    now = first_run_before(meetings[1].starts_at, 7)
    before_the_year.move_to(now)

    assert _run_together(now) == []

    rows = Notification.objects.filter(kind=NotificationKind.MEETING_UPCOMING)
    assert rows.count() == 3
    assert not rows.filter(sent_at=None).exists()
    per_person = Counter(message.to[0] for message in mail.outbox)
    assert per_person == {
        participant.email: 1,
        development_team.email: 1,
        teacher_leader.email: 1,
    }


def test_a_run_after_two_parallel_runs_adds_nothing(
    before_the_year, meetings, participant, development_team
) -> None:
    now = first_run_before(meetings[1].starts_at, 7)
    before_the_year.move_to(now)
    _run_together(now)
    sent = len(mail.outbox)

    summary = reminders_run(now=now)

    assert (summary.created, summary.sent) == (0, 0)
    assert len(mail.outbox) == sent
