"""A task that changes rows in a real worker process retires the kept pages (page_cache): the
worker raises the platform's version in the shared database once the task is done."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from communities.models import PageVersion
from communities.page_cache import PLATFORM
from meetings.models import Notification
from meetings.tasks import reminders_run
from tests.worker.test_reminders_worker import _school_with_due_reminders

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _platform_version() -> int:
    row = PageVersion.objects.filter(scope=PLATFORM).first()
    return row.version if row is not None else 0


def test_a_task_that_changes_rows_in_the_worker_raises_the_platform_version(
    worker: Path,
) -> None:
    _school_with_due_reminders()
    before = _platform_version()

    assert reminders_run.delay().get(timeout=90)["sent"] == 3
    assert Notification.objects.count() == 3

    # The result is stored before the worker's task_postrun handler runs: wait for it.
    deadline = time.monotonic() + 30
    while _platform_version() == before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _platform_version() > before
