"""STEP_FOLLOW_UP: five days before the PLG's next meeting, presenters with an open first step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from casework.models import NextStep, NoteField, PhaseNote, StepStatus
from casework.reminders import step_follow_up_gone
from communities.models import Membership
from meetings.models import Meeting, Notification, NotificationKind, NotificationSettings
from tests.casework.reminder_helpers import (
    collect,
    day_before,
    html_of,
    mails_about,
    record,
    run_at,
)

KIND = NotificationKind.STEP_FOLLOW_UP
HOW = "How did your first small step go? Look back on it before the meeting, so your group can build on it."
pytestmark = pytest.mark.django_db


@pytest.fixture
def step(session, participant) -> NextStep:
    """The participant's first small step at meeting 2, not looked back on yet."""
    note = PhaseNote.objects.create(
        meeting=session.meeting,
        group=session.groups[0],
        field=NoteField.FIRST_STEP,
        text="STEP-WORDS call the parents",
    )
    return NextStep.objects.create(note=note, meeting=session.meeting, presenter=participant)


@pytest.fixture
def next_meeting(meetings) -> Meeting:
    return meetings[2]


def _due_moment(next_meeting) -> dt.datetime:
    return day_before(next_meeting.starts_at, 5)


def test_step_follow_up_goes_five_days_before_the_next_meeting_to_the_presenter(
    step, next_meeting, participant
) -> None:
    # Thursday 10 December 2026, 06:15: meeting 3 is on Tuesday the 15th.
    assert _due_moment(next_meeting).date() == dt.date(2026, 12, 10)

    (due,) = collect(KIND, _due_moment(next_meeting))

    assert due.recipient_id == participant.pk
    assert due.meeting_id == next_meeting.pk
    assert due.payload["path"] == reverse("casework:my_steps")
    assert "STEP-WORDS" not in str(due.payload)


def test_step_follow_up_is_not_due_before_its_moment(step, next_meeting) -> None:
    assert collect(KIND, _due_moment(next_meeting) - dt.timedelta(minutes=30)) == []


def test_step_follow_up_is_not_due_for_the_meeting_of_the_step_itself(step, session) -> None:
    assert collect(KIND, day_before(session.meeting.starts_at, 5)) == []


def test_step_looked_back_on_gets_no_follow_up(step, next_meeting) -> None:
    NextStep.objects.filter(pk=step.pk).update(status=StepStatus.DONE)

    assert collect(KIND, _due_moment(next_meeting)) == []


def test_presenter_who_left_the_plg_gets_no_follow_up(step, next_meeting, world, participant):
    Membership.objects.filter(community=world.community, user=participant).delete()

    assert collect(KIND, _due_moment(next_meeting)) == []


def test_moved_next_meeting_gets_a_follow_up_for_its_new_date(step, next_meeting) -> None:
    record(KIND, _due_moment(next_meeting))
    old_event = Notification.objects.get(kind=KIND).event
    new_start = next_meeting.starts_at + dt.timedelta(days=7)
    Meeting.objects.filter(pk=next_meeting.pk).update(starts_at=new_start)

    (due,) = collect(KIND, day_before(new_start, 5))

    assert due.event != old_event


def test_step_looked_back_on_after_recording_is_dropped_before_sending(step, next_meeting):
    record(KIND, _due_moment(next_meeting))
    NextStep.objects.filter(pk=step.pk).update(status=StepStatus.PARTLY)
    rows = list(Notification.objects.select_related("meeting").filter(kind=KIND))

    assert step_follow_up_gone(rows, _due_moment(next_meeting)) == {rows[0].pk}


def test_step_follow_up_is_sent_once_however_often_beat_runs(
    step, next_meeting, participant, before_the_year
) -> None:
    run_at(before_the_year, _due_moment(next_meeting))
    run_at(before_the_year, _due_moment(next_meeting) + dt.timedelta(hours=1))

    assert len(mails_about(participant, KIND)) == 1
    assert Notification.objects.get(kind=KIND).sent_at is not None


def test_muted_step_follow_up_is_not_sent(step, next_meeting, participant, before_the_year):
    NotificationSettings.objects.create(user=participant, muted_kinds=[KIND])

    run_at(before_the_year, _due_moment(next_meeting))

    assert mails_about(participant, KIND) == []


@pytest.mark.parametrize(
    ("language", "meeting_name"), [("nl", "Themabijeenkomst 3"), ("en", "Theme meeting 3")]
)
def test_step_follow_up_is_written_in_the_presenters_language(
    step, next_meeting, participant, before_the_year, language, meeting_name
) -> None:
    participant.language = language
    participant.save(update_fields=["language"])

    run_at(before_the_year, _due_moment(next_meeting))

    (message,) = mails_about(participant, KIND)
    with translation.override(language):
        sentence = gettext(HOW)
    for text in (message.body, html_of(message)):
        assert sentence in text
        assert meeting_name in text
        assert "STEP-WORDS" not in text
