"""Writes for reminders and notices: record what is due once, then send it once.

Every reminder is first written as a `Notification` row; (kind, event, recipient) is unique, so
a second beat run, a retried task or a second worker adds nothing. Sending is a separate step:
a sender claims unsent rows with one conditional update (`claim` from empty to its own token),
so two senders never mail the same row. Rows stay in the database when the broker is down and
are sent by the next run (the table is the outbox).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from .. import reminders
from ..models import (
    ESSENTIAL_KINDS,
    Delivery,
    Notification,
    NotificationSettings,
    ReminderSchedule,
)
from ..reminders import Due

if TYPE_CHECKING:
    from ..models import Meeting

# One sender handles at most this many rows per run; the next run takes the rest.
SEND_BATCH = 2000


@dataclass(frozen=True)
class RunSummary:
    due: int
    created: int
    sent: int


def notifications_create(*, dues: Iterable[Due], now: dt.datetime | None = None) -> int:
    """Record due reminders, skipping muted kinds and what was recorded before; return the count."""
    now = now or timezone.now()
    dues = list(dues)
    if not dues:
        return 0
    settings_by_user = {
        row.user_id: row
        for row in NotificationSettings.objects.filter(
            user_id__in={due.recipient_id for due in dues}
        )
    }
    rows = []
    for due in dues:
        choice = settings_by_user.get(due.recipient_id)
        essential = due.kind in ESSENTIAL_KINDS
        if choice is not None and not essential and due.kind in choice.muted_kinds:
            continue
        digest = choice is not None and choice.digest and not essential
        rows.append(
            Notification(
                recipient_id=due.recipient_id,
                meeting_id=due.meeting_id,
                kind=due.kind,
                event=due.event,
                payload=dict(due.payload),
                delivery=Delivery.DIGEST if digest else Delivery.EMAIL,
                created_at=now,
            )
        )
    before = Notification.objects.count()
    # ignore_conflicts: a row that exists already (an earlier or a parallel run) stays as it is.
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return Notification.objects.count() - before


def notify(
    *, kind: str, event: str, meeting: Meeting, recipient_ids: Iterable[int], **payload
) -> None:
    """Record a notice caused by a change, and send it once the change is committed."""
    dues = [
        Due(kind=kind, event=event, recipient_id=pk, meeting_id=meeting.pk, payload=payload)
        for pk in set(recipient_ids)
    ]
    notifications_create(dues=dues)
    from ..tasks import notifications_send

    transaction.on_commit(notifications_send.delay)


def _claim(queryset) -> str:
    """Claim up to SEND_BATCH unclaimed rows of `queryset` for this sender; return the token."""
    token = uuid.uuid4().hex
    pending = list(queryset.filter(claim="").values_list("pk", flat=True)[:SEND_BATCH])
    if pending:
        # The conditional update is what makes the claim exclusive: a row another sender
        # claimed in the meantime no longer matches claim="" and is left alone.
        Notification.objects.filter(pk__in=pending, claim="").update(claim=token)
    return token


def _settle(token: str, sent_ids: list[int], now: dt.datetime, error: Exception | None) -> None:
    """Mark what went out as sent; on a mail error give the rest back for the retry, then raise."""
    Notification.objects.filter(pk__in=sent_ids).update(sent_at=now)
    if error is not None:
        Notification.objects.filter(claim=token, sent_at=None).update(claim="")
        raise error


def notifications_send(*, now: dt.datetime | None = None) -> int:
    """Send every unclaimed e-mail notification, each at most once; return how many were sent."""
    from ..emails import notification_messages_send

    now = now or timezone.now()
    token = _claim(Notification.objects.filter(delivery=Delivery.EMAIL))
    claimed = list(
        Notification.objects.filter(claim=token).select_related(
            "recipient", "meeting__community__team__school", "meeting__theme"
        )
    )
    if not claimed:
        return 0
    sent_ids, error = notification_messages_send(claimed)
    _settle(token, sent_ids, now, error)
    return len(sent_ids)


def digests_send(*, now: dt.datetime | None = None) -> int:
    """Send each person with waiting digest rows one e-mail with all of them; return the count."""
    from ..emails import digest_messages_send

    now = now or timezone.now()
    token = _claim(Notification.objects.filter(delivery=Delivery.DIGEST))
    claimed = list(
        Notification.objects.filter(claim=token)
        .select_related("recipient", "meeting__community__team__school", "meeting__theme")
        .order_by("recipient_id", "meeting__starts_at", "pk")
    )
    if not claimed:
        return 0
    sent_ids, error = digest_messages_send(claimed)
    _settle(token, sent_ids, now, error)
    return len({row.recipient_id for row in claimed if row.pk in set(sent_ids)})


def reminders_run(*, now: dt.datetime | None = None) -> RunSummary:
    """Collect every scheduled reminder that is due now, record it once, and send it."""
    now = now or timezone.now()
    schedules = reminders.Schedules(ReminderSchedule.objects.all())
    dues: list[Due] = []
    for collector in reminders.registered().values():
        dues.extend(collector(now, schedules))
    created = notifications_create(dues=dues, now=now)
    sent = notifications_send(now=now)
    return RunSummary(due=len(dues), created=created, sent=sent)
