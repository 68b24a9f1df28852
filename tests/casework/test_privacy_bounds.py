"""Case texts are read during the meeting only, and the admin shows nothing the app keeps private."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from casework.models import MeetingRun, NextStep, PhaseNote
from casework.permissions import in_session
from casework.services.reports import report_compile
from meetings.models import MeetingPreparer
from tests.factories import UserFactory


def _open_run(meeting, actor) -> MeetingRun:
    return MeetingRun.objects.create(meeting=meeting, started_by=actor)


def test_the_meeting_is_in_session_between_its_start_and_end(session, before_the_year) -> None:
    meeting = session.meeting
    before_the_year.move_to(meeting.starts_at - dt.timedelta(minutes=1))
    assert not in_session(meeting)
    before_the_year.move_to(meeting.starts_at)
    assert in_session(meeting)
    before_the_year.move_to(meeting.ends_at + dt.timedelta(minutes=1))
    assert not in_session(meeting)


def test_an_open_run_counts_on_the_meeting_day_also_after_the_planned_end(
    session, before_the_year, teacher_leader
) -> None:
    meeting = session.meeting
    before_the_year.move_to(meeting.starts_at - dt.timedelta(minutes=20))
    _open_run(meeting, teacher_leader)
    assert in_session(meeting)
    before_the_year.move_to(meeting.ends_at + dt.timedelta(hours=2))
    assert in_session(meeting)


def test_a_run_left_open_does_not_keep_case_texts_readable_the_next_days(
    session, before_the_year, teacher_leader, client_as
) -> None:
    meeting = session.meeting
    before_the_year.move_to(meeting.starts_at)
    _open_run(meeting, teacher_leader)
    before_the_year.move_to(meeting.starts_at + dt.timedelta(days=30))

    assert not in_session(meeting)
    # members[0] sits in the presenter's group.
    client = client_as("participant")
    client.force_login(session.members[0])
    assert client.get(reverse("casework:case", args=[session.case.pk])).status_code == 404


@pytest.fixture
def superuser_client(client, db):
    admin = UserFactory(email="root@lyceum.example", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_admin_cannot_edit_report_text_or_status(superuser_client, after_the_meeting) -> None:
    MeetingPreparer.objects.create(
        meeting=after_the_meeting.meeting, user=after_the_meeting.second_dev
    )
    report = report_compile(meeting=after_the_meeting.meeting, actor=after_the_meeting.second_dev)
    url = reverse("admin:casework_meetingreport_change", args=[report.pk])

    page = superuser_client.get(url).content.decode()

    assert 'name="status"' not in page
    assert 'name="cases"' not in page
    assert report.cases
    assert report.cases not in page


def test_a_first_small_step_is_named_without_its_words(in_the_meeting, development_team) -> None:
    group = in_the_meeting.groups[0]
    note = PhaseNote.objects.create(
        meeting=in_the_meeting.meeting, group=group, field="first_step", text="SECRET STEP WORDS"
    )
    step = NextStep.objects.create(
        note=note, meeting=in_the_meeting.meeting, presenter=in_the_meeting.case.presenter
    )

    assert "SECRET STEP WORDS" not in str(step)
