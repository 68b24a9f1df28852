"""Casework at retention: what the steps delete, and that nothing makes it again afterwards."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from casework.models import MeetingEvaluation, MeetingEvaluationParticipation, MeetingReport
from casework.services.evaluations import meeting_evaluation_submit
from casework.tasks import outbox_sweep
from communities.retention import deletion_date, retention_plan, retention_run
from tests.conftest import AMSTERDAM

pytestmark = pytest.mark.django_db

ANSWER = {"went_well": "WELL the case was urgent", "do_better": "BETTER keep to the time"}


def _on_the_deletion_date(world, traveller) -> None:
    day = deletion_date(world.school_year, world.school.retention_years)
    traveller.move_to(dt.datetime.combine(day, dt.time(3, 15), tzinfo=AMSTERDAM))


def _sweep() -> dict[str, int]:
    return outbox_sweep.delay().get()


def test_sweep_does_not_render_again_the_pdf_retention_removed(
    final, world, before_the_year
) -> None:
    assert _sweep()["report_pdfs"] == 1
    assert MeetingReport.objects.get().pdf
    _on_the_deletion_date(world, before_the_year)

    assert retention_run() == 1

    assert _sweep()["report_pdfs"] == 0
    report = MeetingReport.objects.get()
    assert not report.pdf
    assert all(getattr(report, section) == "" for section in MeetingReport.SECTIONS)


def test_sweep_does_not_render_a_report_retention_emptied_before_its_pdf_was_made(
    final, world, before_the_year
) -> None:
    """The broker was down when the report became final, and stayed so until retention."""
    assert MeetingReport.objects.get().pdf_rendered_at is None
    _on_the_deletion_date(world, before_the_year)

    retention_run()

    assert _sweep()["report_pdfs"] == 0
    assert not MeetingReport.objects.get().pdf


def test_retention_deletes_the_evaluation_answers_and_keeps_who_answered(
    after_the_meeting, world, participant, before_the_year
) -> None:
    meeting = after_the_meeting.meeting
    meeting_evaluation_submit(meeting=meeting, member=participant, data=ANSWER)
    with translation.override("en"):
        (planned,) = retention_plan(world.school)
    assert dict(planned.counts)["meeting evaluation answers"] == 1
    _on_the_deletion_date(world, before_the_year)

    retention_run()

    assert not MeetingEvaluation.objects.filter(meeting=meeting).exists()
    assert MeetingEvaluationParticipation.objects.filter(meeting=meeting).count() == 1


def test_evaluation_answers_stay_the_day_before(
    after_the_meeting, world, participant, before_the_year
) -> None:
    meeting_evaluation_submit(meeting=after_the_meeting.meeting, member=participant, data=ANSWER)
    _on_the_deletion_date(world, before_the_year)
    before_the_year.shift(-dt.timedelta(days=1))

    retention_run()

    assert MeetingEvaluation.objects.count() == 1
