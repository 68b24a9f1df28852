"""Writes for reminders and notices: record what is due once, then send it once.

Every reminder is first written as a `Notification` row; (kind, event, recipient) is unique, so
a second beat run, a retried task or a second worker adds nothing. Sending is a separate step:
a sender claims unsent rows with one conditional update (`claim` from empty to its own token),
so two senders never mail the same row. It marks rows sent as it goes; a row whose own message
fails is tried again later (at most MAX_ATTEMPTS times) without holding up the others. Rows stay in the database when the broker is down and
are sent by the next run (the table is the outbox).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Case, DateTimeField, F, Q, Subquery, Value, When
from django.utils import timezone

from plg_platform.queue import enqueue_on_commit

from .. import reminders
from ..models import (
    ESSENTIAL_KINDS,
    OPTIONAL_KINDS,
    Delivery,
    Notification,
    NotificationSettings,
    ReminderSchedule,
)
from ..reminders import Due

if TYPE_CHECKING:
    from communities.models import School
    from plg_platform.users.models import User

    from ..models import Meeting

# One sender handles at most this many rows per run; the next run takes the rest. It must fit in
# CELERY_TASK_SOFT_TIME_LIMIT (60 s) at a slow mail server's pace (a few messages a second).
SEND_BATCH = 200
# Sent rows are marked after every this many messages (and when the run stops for any reason).
SENT_CHUNK = 20
# A claim this old belongs to a sender that died (the hard time limit is 5 minutes): released.
CLAIM_TIMEOUT = dt.timedelta(minutes=10)
# A row whose own message failed is tried again after this long, at most MAX_ATTEMPTS times.
RETRY_AFTER = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 3
# Dues recorded per round: each round filters on its recipients and events with `__in` lists,
# and with server-side binding (prepared statements) PostgreSQL takes at most 65,535 values in
# one statement; a reminder run over many schools at once can have more recipients than that.
CREATE_CHUNK = 5000


@dataclass(frozen=True)
class RunSummary:
    due: int
    created: int
    sent: int


# What the sender loads with every row, so rendering a mail runs no query.
ROW_RELATED = ("recipient", "meeting__community__team__school", "meeting__theme")


def notifications_create(*, dues: Iterable[Due], now: dt.datetime | None = None) -> int:
    """Record due reminders, skipping muted kinds and what was recorded before; return how many
    rows this call inserted."""
    now = now or timezone.now()
    dues = list(dues)
    return sum(
        _notifications_create(dues=dues[start : start + CREATE_CHUNK], now=now)
        for start in range(0, len(dues), CREATE_CHUNK)
    )


def _notifications_create(*, dues: list[Due], now: dt.datetime) -> int:
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
    if not rows:
        return 0
    keys = {(row.kind, row.event, row.recipient_id) for row in rows}
    # Filtered on the unique (kind, event, recipient) index: a run has few distinct events.
    of_this_call = Notification.objects.filter(
        kind__in={row.kind for row in rows},
        event__in={row.event for row in rows},
        recipient_id__in={row.recipient_id for row in rows},
    )
    existed = set(of_this_call.values_list("kind", "event", "recipient_id")) & keys
    # ignore_conflicts: a row that exists already (an earlier or a parallel run) stays as it is.
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    # A parallel run's rows carry its own `now`, so they are not counted here either.
    # (Two parallel calls with the very same `now` could both count a row; only tests do that.)
    stamped = of_this_call.filter(created_at=now).values_list("kind", "event", "recipient_id")
    return len((set(stamped) & keys) - existed)


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


def _release_stale_claims(now: dt.datetime) -> None:
    """Give back the rows a sender claimed and never finished (its worker was killed).

    Trade-off: a sender marks its sent rows every SENT_CHUNK messages and whenever it stops
    (errors and time limits included). Only a worker killed outright between the SMTP send and
    that mark leaves sent rows claimed; released here, they are mailed a second time. Everything
    else stays at most once: a row is claimed by one sender, and marked before it is released.
    """
    Notification.objects.filter(
        sent_at=None, dropped_at=None, claimed_at__lt=now - CLAIM_TIMEOUT
    ).exclude(claim="").update(claim="", claimed_at=None)


def _claim(queryset, now: dt.datetime) -> str:
    """Claim up to SEND_BATCH unclaimed rows of `queryset` for this sender; return the token."""
    token = uuid.uuid4().hex
    pending = queryset.filter(
        Q(failed_at=None) | Q(failed_at__lte=now - RETRY_AFTER),
        claim="",
        sent_at=None,
        dropped_at=None,
    ).order_by("pk")
    # One conditional update is what makes the claim exclusive: a row another sender claimed
    # in the meantime no longer matches claim="" and is left alone (PostgreSQL re-checks the
    # condition after waiting for the other sender's row lock; SQLite runs writes one by one).
    Notification.objects.filter(
        pk__in=Subquery(pending.values("pk")[:SEND_BATCH]), claim=""
    ).update(claim=token, claimed_at=now)
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


class _Ledger:
    """Marks a sender's rows as they go out or fail; gives back the rest when it stops."""

    def __init__(self, token: str, now: dt.datetime) -> None:
        self.token = token
        self.now = now
        self.sent_ids: list[int] = []
        self._unmarked: list[int] = []

    def sent(self, ids: list[int]) -> None:
        self.sent_ids.extend(ids)
        self._unmarked.extend(ids)
        if len(self._unmarked) >= SENT_CHUNK:
            self.flush()

    def failed(self, ids: list[int], error: Exception) -> None:
        """Count a failed attempt for these rows alone; drop them after the last attempt."""
        self.flush()
        Notification.objects.filter(claim=self.token, pk__in=ids).update(
            claim="",
            claimed_at=None,
            attempts=F("attempts") + 1,
            failed_at=self.now,
            last_error=f"{type(error).__name__}: {error}"[:200],
            dropped_at=Case(
                When(attempts__gte=MAX_ATTEMPTS - 1, then=Value(self.now)),
                default=None,
                output_field=DateTimeField(),
            ),
        )

    def flush(self) -> None:
        if self._unmarked:
            Notification.objects.filter(claim=self.token, pk__in=self._unmarked).update(
                sent_at=self.now
            )
            self._unmarked = []

    def close(self) -> None:
        """Mark what went out, then give the unsent rest back for the next run."""
        self.flush()
        Notification.objects.filter(claim=self.token, sent_at=None, dropped_at=None).update(
            claim="", claimed_at=None
        )


def meeting_notifications_drop_stale(*, meeting: Meeting, now: dt.datetime | None = None) -> int:
    """Drop the meeting's waiting notifications that a change made stale (it was cancelled or
    moved), now rather than when they would be sent: a digest reader would otherwise find a
    cancelled meeting "coming up" in their list until the next day's digest. Rows a sender
    holds are left to it; it checks them the same way. Returns how many were dropped."""
    waiting = list(
        Notification.objects.filter(meeting=meeting, claim="", sent_at=None, dropped_at=None)
        .select_related(*ROW_RELATED)
        .order_by("pk")
    )
    return len(waiting) - len(_drop_stale(waiting, now or timezone.now()))


def _claimed(token: str):
    return Notification.objects.filter(claim=token).select_related(*ROW_RELATED)


def _send(
    delivery: str, order: tuple[str, ...], send, follow_up, now: dt.datetime
) -> list[Notification]:
    """Claim, check and send one batch of `delivery` rows; return the rows that went out."""
    _release_stale_claims(now)
    token = _claim(Notification.objects.filter(delivery=delivery), now)
    rows = list(_claimed(token).order_by(*order))
    claimed = _drop_stale(rows, now)
    if len(rows) == SEND_BATCH:
        # A full batch: more may wait, so another run follows instead of waiting for beat.
        enqueue_on_commit(follow_up)
    if not claimed:
        return []
    ledger = _Ledger(token, now)
    try:
        error = send(claimed, ledger)
    finally:
        # Also on a time limit or a bug: what went out is marked, the rest is given back.
        ledger.close()
    if error is not None:
        # The server or network is down: the task's retry (or the next run) sends the rest.
        raise error
    sent = set(ledger.sent_ids)
    return [row for row in claimed if row.pk in sent]


def notifications_send(*, now: dt.datetime | None = None) -> int:
    """Send every unclaimed e-mail notification, each at most once; return how many were sent."""
    from ..emails import notification_messages_send
    from ..tasks import notifications_send as task

    now = now or timezone.now()
    return len(_send(Delivery.EMAIL, ("pk",), notification_messages_send, task, now))


def digests_send(*, now: dt.datetime | None = None) -> int:
    """Send each person with waiting digest rows one e-mail with all of them; return the count."""
    from ..emails import digest_messages_send
    from ..tasks import digests_send as task

    now = now or timezone.now()
    order = ("recipient_id", "meeting__starts_at", "pk")
    sent = _send(Delivery.DIGEST, order, digest_messages_send, task, now)
    return len({row.recipient_id for row in sent})


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
    schedule = ReminderSchedule.of_school(school)
    for name, value in days.items():
        setattr(schedule, name, value)
    schedule.full_clean()
    schedule.save()
    return schedule
