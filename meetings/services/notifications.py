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
from django.db.models import Subquery
from django.utils import timezone

from plg_platform.queue import enqueue_on_commit

from .. import reminders
from ..models import (
    ESSENTIAL_KINDS,
    Delivery,
    Notification,
    NotificationKind,
    NotificationSettings,
    ReminderSchedule,
)
from ..reminders import Due

if TYPE_CHECKING:
    from communities.models import School
    from plg_platform.users.models import User

    from ..models import Meeting

# One sender handles at most this many rows per run; the next run takes the rest.
SEND_BATCH = 2000


@dataclass(frozen=True)
class RunSummary:
    due: int
    created: int
    sent: int


# What the sender loads with every row, so rendering a mail runs no query.
ROW_RELATED = ("recipient", "meeting__community__team__school", "meeting__theme")


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
    *, kind: str, event: str, meeting: Meeting, recipient_ids: Iterable[int], **payload: object
) -> None:
    """Record a notice caused by a change, and send it once the change is committed."""
    dues = [
        Due(kind=kind, event=event, recipient_id=pk, meeting_id=meeting.pk, payload=payload)
        for pk in set(recipient_ids)
    ]
    if not dues:
        return
    notifications_create(dues=dues)
    from ..tasks import notifications_send

    enqueue_on_commit(notifications_send)


def _claim(queryset) -> str:
    """Claim up to SEND_BATCH unclaimed rows of `queryset` for this sender; return the token."""
    token = uuid.uuid4().hex
    pending = queryset.filter(claim="", sent_at=None, dropped_at=None).order_by("pk")
    # One conditional update is what makes the claim exclusive: a row another sender claimed
    # in the meantime no longer matches claim="" and is left alone (PostgreSQL re-checks the
    # condition after waiting for the other sender's row lock; SQLite runs writes one by one).
    Notification.objects.filter(
        pk__in=Subquery(pending.values("pk")[:SEND_BATCH]), claim=""
    ).update(claim=token)
    return token


def _drop_stale(rows: list[Notification], now: dt.datetime) -> list[Notification]:
    """Mark the claimed rows that no longer apply as dropped; return the ones still to send."""
    by_kind: dict[str, list[Notification]] = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row)
    stale: set[int] = set()
    checks = reminders.registered_checks()
    for kind, kind_rows in by_kind.items():
        if kind in checks:
            stale |= checks[kind](kind_rows, now)
    # A kind switched off after the row was recorded is not sent either (unless essential).
    optional = [row for row in rows if row.kind not in ESSENTIAL_KINDS and row.pk not in stale]
    if optional:
        muted = {
            user_id: set(kinds)
            for user_id, kinds in NotificationSettings.objects.filter(
                user_id__in={row.recipient_id for row in optional}
            ).values_list("user_id", "muted_kinds")
        }
        stale |= {row.pk for row in optional if row.kind in muted.get(row.recipient_id, ())}
    stale |= {row.pk for row in rows if not row.recipient.is_active}
    if stale:
        Notification.objects.filter(pk__in=stale).update(dropped_at=now)
    return [row for row in rows if row.pk not in stale]


def _settle(token: str, sent_ids: list[int], now: dt.datetime, error: Exception | None) -> None:
    """Mark what went out as sent; on a mail error give the rest back for the retry, then raise."""
    if sent_ids:
        Notification.objects.filter(claim=token, pk__in=sent_ids).update(sent_at=now)
    if error is not None:
        Notification.objects.filter(claim=token, sent_at=None, dropped_at=None).update(claim="")
        raise error


def _claimed(token: str):
    return Notification.objects.filter(claim=token).select_related(*ROW_RELATED)


def notifications_send(*, now: dt.datetime | None = None) -> int:
    """Send every unclaimed e-mail notification, each at most once; return how many were sent."""
    from ..emails import notification_messages_send

    now = now or timezone.now()
    token = _claim(Notification.objects.filter(delivery=Delivery.EMAIL))
    claimed = _drop_stale(list(_claimed(token).order_by("pk")), now)
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
    claimed = _drop_stale(
        list(_claimed(token).order_by("recipient_id", "meeting__starts_at", "pk")), now
    )
    if not claimed:
        return 0
    sent_ids, error = digest_messages_send(claimed)
    _settle(token, sent_ids, now, error)
    sent = set(sent_ids)
    return len({row.recipient_id for row in claimed if row.pk in sent})


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


# The person's own list and settings ---------------------------------------------------------


def notification_read(*, notification: Notification, user: User) -> None:
    """Mark one of the user's own notifications as read (again reading changes nothing)."""
    Notification.objects.filter(pk=notification.pk, recipient=user, read_at=None).update(
        read_at=timezone.now()
    )


def notifications_read_all(*, user: User) -> int:
    """Mark all of the user's notifications as read; return how many were unread."""
    return Notification.objects.filter(recipient=user, read_at=None).update(read_at=timezone.now())


OPTIONAL_KINDS = [kind for kind in NotificationKind if kind not in ESSENTIAL_KINDS]


@transaction.atomic
def notification_settings_save(
    *, user: User, wanted_kinds: Iterable[str], digest: bool
) -> NotificationSettings:
    """Save which non-essential reminders the user wants, and whether as a daily digest."""
    wanted = set(wanted_kinds)
    muted = [kind.value for kind in OPTIONAL_KINDS if kind not in wanted]
    choice, _created = NotificationSettings.objects.update_or_create(
        user=user, defaults={"muted_kinds": muted, "digest": digest}
    )
    return choice


@transaction.atomic
def reminder_schedule_save(*, school: School, days: dict[str, int]) -> ReminderSchedule:
    """Save a school's lead times (validated as a whole: the first reminder before the second)."""
    schedule = ReminderSchedule.objects.filter(school=school).first() or ReminderSchedule(
        school=school
    )
    for name, value in days.items():
        setattr(schedule, name, value)
    schedule.full_clean()
    schedule.save()
    return schedule
