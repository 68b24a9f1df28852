"""Delivery faults: one bad message fails alone, nothing claimed is lost, rows stay as proof."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.admin.sites import site
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends import locmem
from django.urls import reverse

from meetings import emails
from meetings.models import (
    AbsenceStatus,
    Delivery,
    Notification,
    NotificationKind,
    NotificationSettings,
)
from meetings.reminders import Due
from meetings.services import notifications as service
from meetings.services.attendance import absence_decide, absence_submit
from meetings.services.notifications import (
    CLAIM_TIMEOUT,
    MAX_ATTEMPTS,
    RETRY_AFTER,
    digests_send,
    notifications_create,
    notifications_send,
)
from tests.factories import UserFactory

UPCOMING = NotificationKind.MEETING_UPCOMING


@pytest.fixture
def rows(meetings, participant, teacher_leader, development_team):
    """Three recorded e-mail reminders about meeting 2, in that order of pk."""
    people = [participant, teacher_leader, development_team]
    notifications_create(
        dues=[
            Due(
                kind=NotificationKind.ABSENCE_DECIDED,
                event=f"test:{user.pk}",
                recipient_id=user.pk,
                meeting_id=meetings[1].pk,
                payload={"path": "/"},
            )
            for user in people
        ]
    )
    return people


def _refuse(monkeypatch, address: str, error: Exception) -> list[str]:
    """Make the mail server refuse messages to `address`; return every address tried."""
    real_send = EmailMultiAlternatives.send
    tried: list[str] = []

    def send(self, *args, **kwargs):
        tried.append(self.to[0])
        if self.to[0] == address:
            raise error
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    return tried


# One bad message fails alone -------------------------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPRecipientsRefused({"x": (550, b"no such user")}),
        smtplib.SMTPDataError(554, b"rejected"),
        smtplib.SMTPSenderRefused(553, b"sender", "plg@example"),
    ],
    ids=["recipient", "data", "sender"],
)
def test_a_refused_address_fails_alone_and_the_others_are_sent(
    monkeypatch, rows, participant, error
) -> None:
    _refuse(monkeypatch, participant.email, error)

    assert notifications_send() == 2

    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in rows[1:])
    failed = Notification.objects.get(recipient=participant)
    assert (failed.attempts, failed.claim, failed.sent_at) == (1, "", None)
    assert failed.failed_at is not None and failed.dropped_at is None
    assert type(error).__name__ in failed.last_error


def test_a_message_that_does_not_render_fails_alone(monkeypatch, rows, participant) -> None:
    real = emails.notification_message

    def broken(row, connection=None):
        if row.recipient_id == participant.pk:
            raise ValueError("template broke")
        return real(row, connection)

    monkeypatch.setattr(emails, "notification_message", broken)

    assert notifications_send() == 2
    assert Notification.objects.get(recipient=participant).attempts == 1


def test_a_failed_row_is_retried_later_and_dropped_after_the_last_attempt(
    monkeypatch, before_the_year, rows, participant
) -> None:
    tried = _refuse(monkeypatch, participant.email, smtplib.SMTPDataError(451, b"try later"))
    notifications_send()
    row = Notification.objects.get(recipient=participant)

    # Not again right away (a notice sent by the next change would otherwise use up the tries).
    notifications_send()
    assert tried.count(participant.email) == 1

    for attempt in range(2, MAX_ATTEMPTS + 1):
        before_the_year.shift(RETRY_AFTER)
        notifications_send()
        row.refresh_from_db()
        assert row.attempts == attempt

    assert row.dropped_at is not None and row.sent_at is None
    before_the_year.shift(RETRY_AFTER)
    assert notifications_send() == 0
    assert tried.count(participant.email) == MAX_ATTEMPTS


def test_a_row_that_fails_once_is_sent_on_the_retry(
    monkeypatch, before_the_year, rows, participant
):
    real_send = EmailMultiAlternatives.send
    _refuse(monkeypatch, participant.email, smtplib.SMTPDataError(451, b"busy"))
    notifications_send()

    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    before_the_year.shift(RETRY_AFTER)

    assert notifications_send() == 1
    assert Notification.objects.filter(sent_at=None).count() == 0


def test_a_digest_refused_for_one_person_does_not_stop_the_others(
    monkeypatch, rows, participant, teacher_leader
) -> None:
    Notification.objects.update(delivery=Delivery.DIGEST)
    _refuse(monkeypatch, participant.email, smtplib.SMTPRecipientsRefused({}))

    assert digests_send() == 2
    assert Notification.objects.get(recipient=participant).attempts == 1


def test_a_lost_connection_still_stops_the_batch_and_gives_the_rest_back(
    monkeypatch, rows, participant, teacher_leader
) -> None:
    _refuse(monkeypatch, teacher_leader.email, smtplib.SMTPServerDisconnected("gone"))

    with pytest.raises(smtplib.SMTPServerDisconnected):
        notifications_send()

    assert Notification.objects.filter(sent_at__isnull=False).count() == 1
    rest = Notification.objects.filter(sent_at=None)
    assert [row.claim for row in rest] == ["", ""]
    assert all(row.attempts == 0 for row in rest)  # not the rows' fault


def test_an_error_closing_the_connection_does_not_hide_what_was_sent(monkeypatch, rows) -> None:
    def close(self):
        raise smtplib.SMTPServerDisconnected("closed twice")

    monkeypatch.setattr(locmem.EmailBackend, "close", close, raising=False)

    assert notifications_send() == 3
    assert not Notification.objects.filter(sent_at=None).exists()


# Nothing claimed is lost ---------------------------------------------------------------------------


def test_a_time_limit_marks_what_went_out_and_gives_the_rest_back(
    monkeypatch, rows, teacher_leader
) -> None:
    _refuse(monkeypatch, teacher_leader.email, SoftTimeLimitExceeded())

    with pytest.raises(SoftTimeLimitExceeded):
        notifications_send()

    assert Notification.objects.filter(sent_at__isnull=False).count() == 1
    assert list(Notification.objects.filter(sent_at=None).values_list("claim", flat=True)) == [
        "",
        "",
    ]
    monkeypatch.undo()
    assert notifications_send() == 2
    assert len(mail.outbox) == 3


def test_a_claim_left_by_a_dead_worker_is_released_after_a_while(before_the_year, rows) -> None:
    claimed_at = Notification.objects.first().created_at
    Notification.objects.update(claim="dead-worker", claimed_at=claimed_at)

    assert notifications_send() == 0  # a live sender may still be at work

    before_the_year.shift(CLAIM_TIMEOUT + dt.timedelta(seconds=1))
    assert notifications_send() == 3
    assert len(mail.outbox) == 3


def test_sent_and_dropped_rows_are_never_released(before_the_year, rows) -> None:
    notifications_send()
    mail.outbox.clear()
    Notification.objects.update(claim="old", claimed_at=Notification.objects.first().created_at)
    before_the_year.shift(CLAIM_TIMEOUT * 3)

    assert notifications_send() == 0
    assert mail.outbox == []


def test_a_batch_is_at_most_send_batch_and_a_full_one_asks_for_another_run(
    monkeypatch, meetings, rows, django_capture_on_commit_callbacks
) -> None:
    monkeypatch.setattr(service, "SEND_BATCH", 2)

    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert notifications_send() == 2
        assert len(mail.outbox) == 2

    # The follow-up task (run eagerly in tests) sent the third row.
    assert len(queued) == 1
    assert len(mail.outbox) == 3
    assert not Notification.objects.filter(sent_at=None).exists()


# What a run inserted -------------------------------------------------------------------------------


def test_create_counts_only_what_this_call_inserted(meetings, rows, participant) -> None:
    extra = UserFactory()
    dues = [
        Due(kind=NotificationKind.ABSENCE_DECIDED, event=f"test:{user.pk}", recipient_id=user.pk,
            meeting_id=meetings[1].pk)
        for user in [participant, extra]
    ]  # fmt: skip

    assert notifications_create(dues=dues) == 1
    assert notifications_create(dues=dues) == 0
    assert Notification.objects.count() == 4


# An excused member ------------------------------------------------------------------------------


def test_a_waiting_reminder_is_dropped_once_the_absence_is_approved(
    meetings, participant, team_leader
) -> None:
    meeting = meetings[1]
    notifications_create(
        dues=[
            Due(
                kind=UPCOMING,
                event="meeting:test",
                recipient_id=participant.pk,
                meeting_id=meeting.pk,
                payload={"starts_at": meeting.starts_at.astimezone(dt.UTC).isoformat()},
            )
        ]
    )
    Notification.objects.update(delivery=Delivery.DIGEST)
    absence = absence_submit(meeting=meeting, member=participant, reason="Ziek")
    absence_decide(absence=absence, actor=team_leader, approve=True)
    assert absence.status == AbsenceStatus.APPROVED

    assert digests_send() == 0

    assert Notification.objects.get(kind=UPCOMING).dropped_at is not None


# The admin ------------------------------------------------------------------------------------------


def test_the_admin_cannot_add_change_or_delete_notifications(client, rows) -> None:
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    model_admin = site._registry[Notification]
    row = Notification.objects.first()

    request = type("Request", (), {"user": admin_user})()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, row)
    assert not model_admin.has_delete_permission(request, row)
    url = reverse("admin:meetings_notification_delete", args=[row.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    changelist = client.get(reverse("admin:meetings_notification_changelist"))
    assert changelist.status_code == 200
    assert b'value="delete_selected"' not in changelist.content
    assert Notification.objects.filter(pk=row.pk).exists()


def test_many_dues_are_recorded_in_rounds_each_once(monkeypatch, meetings, participant):
    # Rounds keep each statement's `__in` lists under PostgreSQL's limit for bound values.
    monkeypatch.setattr(service, "CREATE_CHUNK", 2)
    people = [participant, *UserFactory.create_batch(4)]
    # The last person switched this reminder off: skipped in the last round too.
    NotificationSettings.objects.create(user=people[-1], muted_kinds=[UPCOMING])
    dues = [
        Due(kind=UPCOMING, event="test:rounds", recipient_id=user.pk, meeting_id=meetings[1].pk)
        for user in people
    ]
    # The second round repeats a due of the first: recorded once, counted once.
    dues.insert(2, dues[0])

    assert notifications_create(dues=dues) == 4
    assert notifications_create(dues=dues) == 0
    recorded = Notification.objects.filter(event="test:rounds")
    assert sorted(recorded.values_list("recipient_id", flat=True)) == sorted(
        user.pk for user in people[:-1]
    )
