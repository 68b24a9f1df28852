"""meetings.services.meeting_cancel and its page: who cancels, history, iCal and reminders."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from meetings import reminders
from meetings.models import (
    ChangeKind,
    Meeting,
    MeetingChange,
    MeetingStatus,
    Notification,
    NotificationKind,
    ReminderSchedule,
)
from meetings.selectors.calendar import meeting_ical
from meetings.services import meeting_cancel, meeting_move
from meetings.services.notifications import notifications_create, notifications_send
from tests.helpers import assert_login_redirect
from tests.meetings.reminder_support import first_run_before, mails_to, run_at

UPCOMING = NotificationKind.MEETING_UPCOMING


def _cancel_url(meeting: Meeting) -> str:
    return reverse("meetings:meeting_cancel", kwargs={"pk": meeting.pk})


def _meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:meeting", kwargs={"pk": meeting.pk})


# The service ---------------------------------------------------------------------------------


def test_cancelling_sets_the_status_and_bumps_the_sequence(meetings, teacher_leader) -> None:
    before = meetings[2].sequence

    cancelled = meeting_cancel(meeting=meetings[2], actor=teacher_leader, reason="Studiedag")

    cancelled.refresh_from_db()
    assert cancelled.status == MeetingStatus.CANCELLED
    assert cancelled.sequence == before + 1


def test_cancelling_is_kept_in_the_history_with_its_reason(meetings, teacher_leader) -> None:
    meeting_cancel(meeting=meetings[2], actor=teacher_leader, reason="  Studiedag  ")

    change = MeetingChange.objects.get(meeting=meetings[2], kind=ChangeKind.CANCELLED)
    assert change.actor == teacher_leader
    assert change.data == {"reason": "Studiedag"}
    assert "Studiedag" in change.summary


def test_a_programme_lead_may_cancel(meetings, school_admin) -> None:
    meeting_cancel(meeting=meetings[2], actor=school_admin, reason="Staking")

    assert Meeting.objects.get(pk=meetings[2].pk).status == MeetingStatus.CANCELLED


@pytest.mark.parametrize("persona", ["participant", "team_leader", "expert", "other_plg_member"])
def test_others_may_not_cancel(meetings, persona_user, persona) -> None:
    with pytest.raises(PermissionDenied):
        meeting_cancel(meeting=meetings[2], actor=persona_user(persona), reason="Geen zin")

    assert Meeting.objects.get(pk=meetings[2].pk).status == MeetingStatus.PLANNED


def test_a_prepared_meeting_may_be_cancelled(meetings, teacher_leader) -> None:
    Meeting.objects.filter(pk=meetings[2].pk).update(status=MeetingStatus.PREPARED)

    cancelled = meeting_cancel(meeting=meetings[2], actor=teacher_leader, reason="Ziekte")

    assert cancelled.status == MeetingStatus.CANCELLED


@pytest.mark.parametrize(
    "status", [MeetingStatus.HELD, MeetingStatus.REPORTED, MeetingStatus.CANCELLED]
)
def test_only_an_upcoming_meeting_may_be_cancelled(meetings, teacher_leader, status) -> None:
    Meeting.objects.filter(pk=meetings[2].pk).update(status=status)

    with translation.override("en"), pytest.raises(ValidationError) as error:
        meeting_cancel(meeting=meetings[2], actor=teacher_leader, reason="Te laat")

    assert "has not been held yet" in error.value.messages[0]
    assert not MeetingChange.objects.filter(kind=ChangeKind.CANCELLED).exists()


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "Give a reason"), ("   ", "Give a reason"), ("x" * 501, "at most 500 characters")],
)
def test_a_reason_is_required_and_short(meetings, teacher_leader, reason, message) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as error:
        meeting_cancel(meeting=meetings[2], actor=teacher_leader, reason=reason)

    assert message in error.value.messages[0]
    assert Meeting.objects.get(pk=meetings[2].pk).status == MeetingStatus.PLANNED


def test_a_reason_of_500_characters_is_accepted(meetings, teacher_leader) -> None:
    meeting_cancel(meeting=meetings[2], actor=teacher_leader, reason="x" * 500)

    assert Meeting.objects.get(pk=meetings[2].pk).status == MeetingStatus.CANCELLED


def test_a_cancelled_meeting_cannot_be_moved(meetings, teacher_leader) -> None:
    meeting_cancel(meeting=meetings[2], actor=teacher_leader, reason="Studiedag")

    with translation.override("en"), pytest.raises(ValidationError) as error:
        meeting_move(
            meeting=meetings[2],
            actor=teacher_leader,
            starts_at=meetings[2].starts_at.replace(hour=14),
        )

    assert "cancelled meeting cannot be moved" in error.value.messages[0]


# iCalendar -----------------------------------------------------------------------------------


def _event(meeting: Meeting):
    calendar = Calendar.from_ical(meeting_ical(Meeting.objects.get(pk=meeting.pk)))
    return next(iter(calendar.walk("VEVENT")))


def test_the_calendar_event_of_a_cancelled_meeting_says_cancelled(meetings, teacher_leader) -> None:
    assert str(_event(meetings[2])["STATUS"]) == "CONFIRMED"
    before = int(_event(meetings[2])["SEQUENCE"])

    meeting_cancel(meeting=meetings[2], actor=teacher_leader, reason="Studiedag")

    event = _event(meetings[2])
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == before + 1


# The page ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["teacher_leader", "school_admin"])
def test_planners_cancel_from_the_meeting_page(client_as, meetings, persona) -> None:
    client = client_as(persona)
    page = client.get(_meeting_url(meetings[2])).content.decode()
    assert _cancel_url(meetings[2]) in page

    response = client.post(_cancel_url(meetings[2]), {"cancel-reason": "Studiedag"}, follow=True)

    assert response.redirect_chain[-1][0] == _meeting_url(meetings[2])
    assert Meeting.objects.get(pk=meetings[2].pk).status == MeetingStatus.CANCELLED
    with translation.override("nl"):
        label = str(MeetingStatus.CANCELLED.label)
    content = response.content.decode()
    assert label in content
    assert _cancel_url(meetings[2]) not in content
    assert reverse("meetings:meeting_move", kwargs={"pk": meetings[2].pk}) not in content


@pytest.mark.parametrize(
    "persona", ["participant", "team_leader", "expert", "other_plg_member", "other_school_user"]
)
def test_others_get_not_found(client_as, meetings, persona) -> None:
    client = client_as(persona)
    page = client.get(_meeting_url(meetings[2]))
    if page.status_code == 200:
        assert _cancel_url(meetings[2]) not in page.content.decode()

    response = client.post(_cancel_url(meetings[2]), {"cancel-reason": "Studiedag"})

    assert response.status_code == 404
    assert Meeting.objects.get(pk=meetings[2].pk).status == MeetingStatus.PLANNED


def test_anonymous_visitors_are_sent_to_sign_in(client, meetings) -> None:
    assert_login_redirect(client.post(_cancel_url(meetings[2]), {"cancel-reason": "Studiedag"}))


def test_cancelling_needs_a_post(client_as, meetings) -> None:
    assert client_as("teacher_leader").get(_cancel_url(meetings[2])).status_code == 405


def test_a_missing_reason_is_a_message_not_an_error(client_as, meetings) -> None:
    response = client_as("teacher_leader").post(
        _cancel_url(meetings[2]), {"cancel-reason": ""}, follow=True
    )

    assert response.status_code == 200
    with translation.override("nl"):
        expected = translation.gettext("Give a reason for cancelling the meeting.")
    assert expected in response.content.decode()
    assert Meeting.objects.get(pk=meetings[2].pk).status == MeetingStatus.PLANNED


def test_cancelling_twice_is_a_message_not_an_error(client_as, meetings, teacher_leader) -> None:
    meeting_cancel(meeting=meetings[2], actor=teacher_leader, reason="Studiedag")

    response = client_as("teacher_leader").post(
        _cancel_url(meetings[2]), {"cancel-reason": "Nogmaals"}, follow=True
    )

    assert response.status_code == 200
    assert MeetingChange.objects.filter(kind=ChangeKind.CANCELLED).count() == 1


# Reminders -----------------------------------------------------------------------------------


def test_a_due_reminder_is_not_recorded_for_a_cancelled_meeting(
    before_the_year, meetings, teacher_leader, participant
) -> None:
    meeting = meetings[1]
    meeting_cancel(meeting=meeting, actor=teacher_leader, reason="Studiedag")

    run_at(before_the_year, first_run_before(meeting.starts_at, 7))

    assert not Notification.objects.filter(kind=UPCOMING, meeting=meeting).exists()
    assert mails_to(participant, UPCOMING) == []


def test_a_recorded_reminder_is_dropped_when_the_meeting_is_cancelled(
    before_the_year, meetings, teacher_leader, participant
) -> None:
    meeting = meetings[1]
    now = first_run_before(meeting.starts_at, 7)
    before_the_year.move_to(now)
    schedules = reminders.Schedules(ReminderSchedule.objects.all())
    notifications_create(dues=reminders.registered()[UPCOMING](now, schedules), now=now)
    assert Notification.objects.filter(kind=UPCOMING, meeting=meeting, recipient=participant)

    meeting_cancel(meeting=meeting, actor=teacher_leader, reason="Studiedag")

    # Only the notice of the cancellation itself goes out.
    notices = Notification.objects.filter(kind=NotificationKind.MEETING_CANCELLED).count()
    assert notifications_send(now=now) == notices
    assert mails_to(participant, UPCOMING) == []
    assert len(mail.outbox) == notices
    rows = Notification.objects.filter(kind=UPCOMING, meeting=meeting)
    assert rows.exists()
    assert not rows.filter(dropped_at=None).exists()
