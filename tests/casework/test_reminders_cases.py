"""CASE_DEADLINE: three days before a meeting, members whose work case is still a draft."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from casework.reminders import case_deadline_gone
from casework.services.cases import case_save
from communities.models import Membership
from meetings.models import (
    Delivery,
    Meeting,
    Notification,
    NotificationKind,
    NotificationSettings,
    ReminderSchedule,
)
from tests.casework.reminder_helpers import (
    collect,
    day_before,
    html_of,
    mails_about,
    recipients,
    record,
    run_at,
)

KIND = NotificationKind.CASE_DEADLINE
FINISH = (
    "Finish it and submit it before the meeting, so the teacher leaders can plan the small groups."
)
pytestmark = pytest.mark.django_db


def _due_moment(session) -> dt.datetime:
    return day_before(session.meeting.starts_at, 3)


def test_case_deadline_goes_three_days_before_to_the_member_with_a_draft(session) -> None:
    # Saturday 26 September 2026, 06:15: the meeting is on Tuesday the 29th.
    assert _due_moment(session).date() == dt.date(2026, 9, 26)

    assert recipients(KIND, _due_moment(session)) == {session.drafter.pk}


def test_case_deadline_links_to_the_members_own_case_and_carries_no_case_text(session) -> None:
    (due,) = collect(KIND, _due_moment(session))

    assert due.meeting_id == session.meeting.pk
    assert due.payload["path"] == reverse("casework:my_case", args=[session.meeting.pk])
    assert "SITUATION" not in str(due.payload)


def test_case_deadline_is_not_due_before_its_moment(session) -> None:
    too_early = _due_moment(session) - dt.timedelta(minutes=30)

    assert collect(KIND, too_early) == []


def test_case_deadline_is_not_due_once_the_meeting_started(session) -> None:
    during = session.meeting.starts_at + dt.timedelta(minutes=5)

    assert collect(KIND, during) == []


def test_submitted_case_gets_no_deadline_reminder(session, before_the_year) -> None:
    case_save(
        meeting=session.meeting,
        presenter=session.drafter,
        data={
            "title": "Now finished",
            "situation": "S",
            "question": "Q",
            "names_left_out": True,
        },
        submit=True,
    )

    assert collect(KIND, _due_moment(session)) == []


def test_member_who_left_the_plg_gets_no_deadline_reminder(session, world) -> None:
    Membership.objects.filter(community=world.community, user=session.drafter).delete()

    assert collect(KIND, _due_moment(session)) == []


def test_school_lead_time_moves_the_case_deadline(session, world) -> None:
    ReminderSchedule.objects.create(school=world.school, case_days=5)

    assert recipients(KIND, day_before(session.meeting.starts_at, 5)) == {session.drafter.pk}
    assert collect(KIND, _due_moment(session)) == []


def test_moved_meeting_gets_a_deadline_reminder_for_its_new_date(session) -> None:
    record(KIND, _due_moment(session))
    old_event = Notification.objects.get(kind=KIND).event
    new_start = session.meeting.starts_at + dt.timedelta(days=7)
    Meeting.objects.filter(pk=session.meeting.pk).update(starts_at=new_start)

    assert collect(KIND, _due_moment(session) + dt.timedelta(hours=1)) == []
    (due,) = collect(KIND, day_before(new_start, 3))
    assert due.event != old_event


def test_case_deadline_is_sent_once_however_often_beat_runs(session, before_the_year) -> None:
    run_at(before_the_year, _due_moment(session))
    run_at(before_the_year, _due_moment(session) + dt.timedelta(minutes=15))

    assert len(mails_about(session.drafter, KIND)) == 1
    row = Notification.objects.get(kind=KIND)
    assert row.recipient == session.drafter
    assert row.sent_at is not None


def test_case_deadline_comes_even_when_muted_or_in_a_digest(session, before_the_year) -> None:
    NotificationSettings.objects.create(user=session.drafter, muted_kinds=[KIND], digest=True)

    run_at(before_the_year, _due_moment(session))

    assert Notification.objects.get(kind=KIND).delivery == Delivery.EMAIL
    assert len(mails_about(session.drafter, KIND)) == 1


@pytest.mark.parametrize(
    ("language", "meeting_name", "month"),
    [("nl", "Themabijeenkomst 2", "september"), ("en", "Theme meeting 2", "Sept.")],
)
def test_case_deadline_is_written_in_the_members_language(
    session, before_the_year, language, meeting_name, month
) -> None:
    session.drafter.language = language
    session.drafter.save(update_fields=["language"])

    run_at(before_the_year, _due_moment(session))

    (message,) = mails_about(session.drafter, KIND)
    with translation.override(language):
        sentence = gettext(FINISH)
    for text in (message.body, html_of(message)):
        assert sentence in text
        assert meeting_name in text
        assert month in text
    assert reverse("casework:my_case", args=[session.meeting.pk]) in message.body


def test_case_submitted_after_recording_is_dropped_before_sending(session) -> None:
    record(KIND, _due_moment(session))
    row = Notification.objects.select_related("meeting").get(kind=KIND)
    session.draft.status = "submitted"
    session.draft.save(update_fields=["status"])

    assert case_deadline_gone([row], _due_moment(session)) == {row.pk}
