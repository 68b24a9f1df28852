"""Helpers for the meetings' reminder tests: beat runs at a reminder's moment, mails per person."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.utils import translation

from meetings import reminders
from meetings.models import NotificationKind
from meetings.services.notifications import reminders_run

# A quarter of an hour after a day-based reminder's moment: the first beat run that sends it.
AFTER = dt.timedelta(minutes=15)


def first_run_before(moment: dt.datetime, days: int) -> dt.datetime:
    """The first beat run after the reminder `days` before `moment`."""
    return reminders.days_before(moment, days) + AFTER


def run_at(traveller, now: dt.datetime):
    """One beat run at `now`, with the clock there too."""
    traveller.move_to(now)
    return reminders_run(now=now)


def mails_to(user, kind: str) -> list[mail.EmailMessage]:
    """The e-mails sent to `user` about one kind (its label, in their language, starts the subject)."""
    with translation.override(user.language):
        label = str(NotificationKind(kind).label)
    return [m for m in mail.outbox if user.email in m.to and m.subject.startswith(label)]


def html_of(message) -> str:
    return next(content for content, kind in message.alternatives if kind == "text/html")
