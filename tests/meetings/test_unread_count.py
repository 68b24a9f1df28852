"""The navigation's unread badge: plain SQL held to the ORM rule `own_notifications` states."""

from __future__ import annotations

import pytest
from django.utils import timezone

from meetings.models import Notification, NotificationKind
from meetings.selectors.notifications import own_notifications, unread_count
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _row(user, meeting, number: int, **fields) -> Notification:
    return Notification.objects.create(
        recipient=user,
        meeting=meeting,
        kind=NotificationKind.MEETING_UPCOMING,
        event=f"unread:{meeting.pk}:{number}",
        payload={"path": f"/meeting/{meeting.pk}/"},
        **fields,
    )


def test_unread_count_counts_what_the_orm_rule_calls_unread(meetings, participant) -> None:
    other = UserFactory()
    now = timezone.now()
    _row(participant, meetings[1], 1, sent_at=now)
    _row(participant, meetings[1], 2, sent_at=now, read_at=now)
    _row(participant, meetings[1], 3, dropped_at=now)
    _row(participant, meetings[2], 4)  # not sent yet: still one's own, and unread
    _row(other, meetings[1], 5, sent_at=now)

    for user in (participant, other, UserFactory()):
        expected = own_notifications(user).filter(read_at=None).count()
        assert unread_count(user) == expected
    assert unread_count(participant) == 2
    assert unread_count(other) == 1
