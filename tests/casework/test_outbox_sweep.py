"""Beat's outbox sweep: what waited while the broker was down gets started, and nothing else.

Tasks run eagerly in tests, so each test asserts the effect (the PDF exists, the job is done)
rather than what was queued.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from casework.models import MeetingReport, YearlyReport, YearlyReportStatus
from casework.services.yearly import STALE_AFTER, SWEEP_AFTER, yearly_report_request
from casework.tasks import outbox_sweep

START = dt.datetime(2026, 10, 5, 9, 0, tzinfo=dt.UTC)
SECOND = dt.timedelta(seconds=1)


def _sweep() -> dict[str, int]:
    return outbox_sweep.delay().get()


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def queued(world, school_admin, clock) -> YearlyReport:
    """A school-wide job asked for while the broker was down: its task never ran."""
    # No on-commit callbacks run inside a test's transaction, so the job stays queued.
    return yearly_report_request(actor=school_admin, school_year=world.school_year, scope="school")


def _running(world, *, started_at: dt.datetime) -> YearlyReport:
    return YearlyReport.objects.create(
        scope="school",
        school=world.school,
        school_year=world.school_year,
        status=YearlyReportStatus.RUNNING,
        progress=40,
        created_at=started_at,
        started_at=started_at,
    )


# Final phase-6 reports without their PDF ----------------------------------------------------------


def test_sweep_renders_the_pdf_of_a_final_report_left_without_one(final):
    assert not MeetingReport.objects.get().pdf
    assert _sweep() == {"report_pdfs": 1, "yearly_reports": 0}
    stored = MeetingReport.objects.get()
    assert stored.pdf.read().startswith(b"%PDF")
    assert stored.pdf_rendered_at is not None


def test_sweep_leaves_a_draft_report_alone(draft):
    assert _sweep() == {"report_pdfs": 0, "yearly_reports": 0}
    assert not MeetingReport.objects.get().pdf


def test_sweeping_twice_renders_a_report_once(final):
    _sweep()
    stored = MeetingReport.objects.get()
    assert _sweep() == {"report_pdfs": 0, "yearly_reports": 0}
    again = MeetingReport.objects.get()
    assert (again.pdf.name, again.pdf_rendered_at) == (stored.pdf.name, stored.pdf_rendered_at)


# Yearly reports waiting --------------------------------------------------------------------------


def test_sweep_leaves_a_freshly_queued_job_alone(queued, clock):
    clock.shift(SWEEP_AFTER)
    assert _sweep() == {"report_pdfs": 0, "yearly_reports": 0}
    queued.refresh_from_db()
    assert (queued.status, queued.started_at) == (YearlyReportStatus.QUEUED, None)


def test_sweep_compiles_a_job_queued_longer_than_sweep_after(queued, clock):
    clock.shift(SWEEP_AFTER + SECOND)
    assert _sweep() == {"report_pdfs": 0, "yearly_reports": 1}
    queued.refresh_from_db()
    assert (queued.status, queued.progress) == (YearlyReportStatus.DONE, 100)
    assert queued.data["scope"] == "school"


def test_sweep_leaves_a_job_that_is_running_in_time_alone(world, clock):
    job = _running(world, started_at=timezone.now())
    clock.shift(STALE_AFTER)
    assert _sweep() == {"report_pdfs": 0, "yearly_reports": 0}
    job.refresh_from_db()
    assert (job.status, job.progress) == (YearlyReportStatus.RUNNING, 40)


def test_sweep_restarts_a_job_whose_worker_was_lost(world, clock):
    job = _running(world, started_at=timezone.now())
    clock.shift(STALE_AFTER + SECOND)
    assert _sweep() == {"report_pdfs": 0, "yearly_reports": 1}
    job.refresh_from_db()
    assert (job.status, job.progress) == (YearlyReportStatus.DONE, 100)
    assert job.started_at == timezone.now()


def test_sweeping_twice_compiles_a_job_once(queued, clock):
    clock.shift(SWEEP_AFTER + SECOND)
    _sweep()
    queued.refresh_from_db()
    finished_at = queued.finished_at
    clock.shift(STALE_AFTER * 2)
    assert _sweep() == {"report_pdfs": 0, "yearly_reports": 0}
    queued.refresh_from_db()
    assert (queued.status, queued.finished_at) == (YearlyReportStatus.DONE, finished_at)


def test_sweep_leaves_finished_and_failed_jobs_alone(world, clock):
    for status in (YearlyReportStatus.DONE, YearlyReportStatus.FAILED):
        YearlyReport.objects.create(
            scope="school",
            school=world.school,
            school_year=world.school_year,
            status=status,
            created_at=timezone.now(),
            finished_at=timezone.now(),
        )
    clock.shift(STALE_AFTER * 4)
    assert _sweep() == {"report_pdfs": 0, "yearly_reports": 0}
    assert set(YearlyReport.objects.values_list("status", flat=True)) == {
        YearlyReportStatus.DONE,
        YearlyReportStatus.FAILED,
    }


def test_a_job_retired_for_a_fresh_request_is_not_swept(world, school_admin, queued, clock):
    clock.shift(STALE_AFTER + SECOND)
    fresh = yearly_report_request(actor=school_admin, school_year=world.school_year, scope="school")
    clock.shift(SWEEP_AFTER + SECOND)
    assert _sweep() == {"report_pdfs": 0, "yearly_reports": 1}
    queued.refresh_from_db()
    fresh.refresh_from_db()
    assert (queued.status, fresh.status) == (YearlyReportStatus.FAILED, YearlyReportStatus.DONE)
