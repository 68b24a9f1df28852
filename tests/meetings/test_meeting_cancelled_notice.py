"""Cancelling a meeting tells its group members and preparers (an essential notice: it always
comes, by e-mail right away), says who cancelled it, and never carries the reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from meetings.models import (
    ESSENTIAL_KINDS,
    Delivery,
    MeetingPreparer,
    Notification,
    NotificationKind,
    NotificationSettings,
)
from meetings.services import meeting_cancel
from meetings.services.notifications import notifications_send
from tests.factories import UserFactory
from tests.meetings.reminder_support import html_of, mails_to

CANCELLED = NotificationKind.MEETING_CANCELLED
REASON = "Ziekte van Pia in de familie"


def _recipients() -> set[int]:
    return set(Notification.objects.filter(kind=CANCELLED).values_list("recipient_id", flat=True))


def test_cancelling_notifies_the_group_members_but_not_who_cancelled(
    meetings, teacher_leader, participant, development_team, expert, other_plg_member
) -> None:
    meeting_cancel(meeting=meetings[2], actor=teacher_leader, reason=REASON)

    # Group members only: a guest expert and another PLG's member are not told.
    assert _recipients() == {participant.pk, development_team.pk}


def test_a_preparer_from_outside_the_group_is_told_too(
    meetings, teacher_leader, participant
) -> None:
    # A preparer whose membership ended meanwhile still spent time on this meeting.
    outsider = UserFactory(email="oud@lyceum.example")
    MeetingPreparer.objects.create(meeting=meetings[2], user=outsider)

    meeting_cancel(meeting=meetings[2], actor=teacher_leader, reason=REASON)

    assert outsider.pk in _recipients()


def test_the_cancellation_notice_is_essential_even_for_a_muted_digest_reader(
    meetings, teacher_leader, participant
) -> None:
    NotificationSettings.objects.create(user=participant, muted_kinds=[CANCELLED], digest=True)
    assert CANCELLED in ESSENTIAL_KINDS

    meeting_cancel(meeting=meetings[2], actor=teacher_leader, reason=REASON)
    notifications_send()

    assert Notification.objects.get(recipient=participant).delivery == Delivery.EMAIL
    assert len(mails_to(participant, CANCELLED)) == 1


def test_the_mail_says_who_cancelled_and_keeps_the_reason_out(
    meetings, teacher_leader, participant
) -> None:
    participant.language = "en"
    participant.save(update_fields=["language"])

    meeting_cancel(meeting=meetings[2], actor=teacher_leader, reason=REASON)
    notifications_send()

    [message] = mails_to(participant, CANCELLED)
    assert message.subject.startswith("A theme meeting was cancelled")
    text = message.body + html_of(message)
    assert teacher_leader.display_name in text
    assert "has cancelled theme meeting 3" in message.body
    assert REASON not in text


def test_cancelling_twice_in_a_row_notifies_once(meetings, teacher_leader, participant) -> None:
    meeting_cancel(meeting=meetings[2], actor=teacher_leader, reason=REASON)
    with pytest.raises(ValidationError):
        meeting_cancel(meeting=meetings[2], actor=teacher_leader, reason=REASON)
    notifications_send()

    assert len(mails_to(participant, CANCELLED)) == 1
