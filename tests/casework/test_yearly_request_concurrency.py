"""Two requests for the same yearly report at the same moment make one job, not two.

Real transactions and two threads with their own database connections (as in
tests/meetings/test_reminders_concurrency.py). On PostgreSQL (CI's second run) a row lock on the
school year makes them take turns; on SQLite, where transactions take the write lock at their
start (settings.base), the second waits for the first.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connections

from casework.models import YearlyReport
from casework.services import yearly

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_requests_at_once_share_one_job(world, school_admin, monkeypatch) -> None:
    enqueued: list[int] = []
    monkeypatch.setattr(
        yearly, "enqueue_on_commit", lambda task, report_id: enqueued.append(report_id)
    )
    stalled = yearly._stalled

    def slow_stalled(now):
        # Between looking for a waiting job and making one: where two requests used to cross.
        time.sleep(0.3)
        return stalled(now)

    monkeypatch.setattr(yearly, "_stalled", slow_stalled)
    start = threading.Barrier(2)
    found: list[int] = []
    errors: list[BaseException] = []

    def request() -> None:
        try:
            start.wait()
            report = yearly.yearly_report_request(
                actor=school_admin, school_year=world.school_year, scope="school"
            )
            found.append(report.pk)
        except BaseException as error:  # noqa: BLE001 -- reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert YearlyReport.objects.count() == 1
    assert found == [YearlyReport.objects.get().pk] * 2
    assert enqueued == found[:1]
