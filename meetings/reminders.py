"""Which reminders are due: one collector per scheduled kind, registered by the app that knows.

Reminders about meetings are collected here in `meetings`; those about cases, reflections, first
steps and reports are collected by `casework`, which registers its collectors from its
AppConfig.ready() (as with `panels`), so nothing imports upwards.

A collector gets the moment of the run and the schools' schedules and returns what is due *now*
and still applies: a moved meeting yields new events, a submitted case or a written reflection
yields nothing. Collectors must run a fixed number of queries, whatever the school's size.

A kind may also register a check that runs just before sending (`register_check`): a row that
waited (in the daily digest, or for a broker that was down) is dropped when it no longer applies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone

if TYPE_CHECKING:
    from .models import Notification, ReminderSchedule

# A scheduled reminder is still sent this long after its moment (beat may have been down),
# but never after the event it is about.
GRACE = dt.timedelta(days=1)
# Day-based reminders go out early in the morning (Amsterdam time), before the daily digest.
REMINDER_TIME = dt.time(6, 0)


@dataclass(frozen=True)
class Due:
    """One reminder for one person about one event."""

    kind: str
    event: str
    recipient_id: int
    meeting_id: int
    payload: Mapping[str, object] = field(default_factory=dict)


# (now, schedules by school id; a school without a row gets the defaults) -> what is due
Collector = Callable[[dt.datetime, "Schedules"], Iterable[Due]]


class Schedules:
    """The lead times of every school, loaded once per run."""

    def __init__(self, rows: Iterable[ReminderSchedule]) -> None:
        from .models import ReminderSchedule

        self._rows = {row.school_id: row for row in rows}
        self._default = ReminderSchedule()

    def for_school(self, school_id: int) -> ReminderSchedule:
        return self._rows.get(school_id, self._default)

    def longest(self, *fields: str) -> int:
        """The largest number of days any school (or the default) gives one of these fields."""
        rows = [*self._rows.values(), self._default]
        return max(getattr(row, name) for row in rows for name in fields)


# (rows about to be sent, now) -> ids of the rows that no longer apply; a fixed number of queries.
Check = Callable[[list["Notification"], dt.datetime], set[int]]

_COLLECTORS: dict[str, Collector] = {}
_CHECKS: dict[str, Check] = {}


def register(kind: str, collector: Collector) -> None:
    _COLLECTORS[kind] = collector


def registered() -> dict[str, Collector]:
    return dict(_COLLECTORS)


def register_check(kind: str, check: Check) -> None:
    _CHECKS[kind] = check


def registered_checks() -> dict[str, Check]:
    return dict(_CHECKS)


def day_moment(day: dt.date) -> dt.datetime:
    """The moment a day-based reminder for `day` goes out: REMINDER_TIME, Amsterdam time."""
    return dt.datetime.combine(day, REMINDER_TIME, tzinfo=timezone.get_default_timezone())


def days_before(moment: dt.datetime, days: int) -> dt.datetime:
    """The reminder moment `days` calendar days before the local day of `moment`."""
    return day_moment(timezone.localtime(moment).date() - dt.timedelta(days=days))


def days_after(moment: dt.datetime, days: int) -> dt.datetime:
    """The reminder moment `days` calendar days after the local day of `moment`."""
    return day_moment(timezone.localtime(moment).date() + dt.timedelta(days=days))


def window_open(now: dt.datetime, moment: dt.datetime, *, until: dt.datetime | None = None) -> bool:
    """True when a reminder meant for `moment` is due at `now` (within GRACE, before `until`)."""
    end = moment + GRACE
    if until is not None:
        end = min(end, until)
    return moment <= now < end
