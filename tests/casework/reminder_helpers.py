"""Helpers for the casework reminder tests: collect one kind at a moment, run the reminders."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.utils import translation

from casework.reminders import COLLECTORS
from meetings import reminders
from meetings.models import NotificationKind, ReminderSchedule
from meetings.reminders import Due, Schedules
from meetings.services.notifications import notifications_create, reminders_run

# A quarter of an hour after a day-based reminder's moment: the first beat run that sends it.
AFTER = dt.timedelta(minutes=15)


def collect(kind: str, now: dt.datetime) -> list[Due]:
    """What one kind's collector says is due at `now`."""
    return list(COLLECTORS[kind](now, Schedules(ReminderSchedule.objects.all())))


def record(kind: str, now: dt.datetime) -> int:
    """Record what one kind's collector says is due at `now`, without sending it."""
    return notifications_create(dues=collect(kind, now), now=now)


def recipients(kind: str, now: dt.datetime) -> set[int]:
    return {due.recipient_id for due in collect(kind, now)}


def day_before(moment: dt.datetime, days: int) -> dt.datetime:
    """The first beat run after the reminder `days` before `moment`."""
    return reminders.days_before(moment, days) + AFTER


def day_after(moment: dt.datetime, days: int) -> dt.datetime:
    """The first beat run after the reminder `days` after `moment`."""
    return reminders.days_after(moment, days) + AFTER


def run_at(traveller, now: dt.datetime) -> None:
    """One beat run at `now`, with the clock there too."""
    traveller.move_to(now)
    reminders_run(now=now)


def mails_about(user, kind: str) -> list[mail.EmailMessage]:
    """The e-mails sent to `user` about one kind (its label starts the subject)."""
    with translation.override(user.language):
        label = str(NotificationKind(kind).label)
    return [
        message
        for message in mail.outbox
        if user.email in message.to and message.subject.startswith(label)
    ]


def html_of(message) -> str:
    return next(content for content, kind in message.alternatives if kind == "text/html")
