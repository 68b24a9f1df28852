"""A cancelled or moved meeting's waiting reminders leave the in-app list at once, not when the
next daily digest would have checked them."""

from __future__ import annotations

import datetime as dt

import pytest

from meetings.models import Notification, NotificationKind, NotificationSettings
from meetings.selectors.notifications import own_notifications, unread_count
from meetings.services import meeting_cancel, meeting_move
from meetings.services.notifications import digests_send
from tests.meetings.conftest import AMSTERDAM
from tests.meetings.reminder_support import first_run_before, run_at

pytestmark = pytest.mark.django_db

UPCOMING = NotificationKind.MEETING_UPCOMING


@pytest.fixture
def waiting(before_the_year, meetings, participant):
    """A digest reader's "meeting coming up" for meeting 2, recorded and waiting for the digest."""
    NotificationSettings.objects.create(user=participant, digest=True)
    run_at(before_the_year, first_run_before(meetings[1].starts_at, 7))
    row = Notification.objects.get(recipient=participant, kind=UPCOMING)
    assert row.sent_at is None
    assert list(own_notifications(participant)) == [row]
    return row


def test_cancelling_drops_the_waiting_reminder_from_the_list(
    waiting, meetings, teacher_leader, participant
) -> None:
    meeting_cancel(meeting=meetings[1], actor=teacher_leader, reason="Ziek")

    waiting.refresh_from_db()
    assert waiting.dropped_at is not None
    # What is left is the cancellation notice itself.
    assert [row.kind for row in own_notifications(participant)] == [
        NotificationKind.MEETING_CANCELLED
    ]
    assert unread_count(participant) == 1


def test_moving_drops_the_reminder_for_the_old_moment(
    waiting, meetings, teacher_leader, participant
) -> None:
    meeting_move(
        meeting=meetings[1],
        actor=teacher_leader,
        starts_at=meetings[1].starts_at + dt.timedelta(days=7),
        confirmed=True,
    )

    waiting.refresh_from_db()
    assert waiting.dropped_at is not None
    assert list(own_notifications(participant)) == []


def test_moving_another_meeting_keeps_it(waiting, meetings, teacher_leader, participant) -> None:
    meeting_move(
        meeting=meetings[3],
        actor=teacher_leader,
        starts_at=dt.datetime(2027, 3, 9, 14, 0, tzinfo=AMSTERDAM),
        confirmed=True,
    )

    waiting.refresh_from_db()
    assert waiting.dropped_at is None
    assert list(own_notifications(participant)) == [waiting]


def test_a_dropped_reminder_is_not_in_the_digest(waiting, meetings, teacher_leader) -> None:
    meeting_cancel(meeting=meetings[1], actor=teacher_leader, reason="Ziek")

    assert digests_send() == 0
