"""Which reminders are due: one collector per scheduled kind, registered by the app that knows.

Reminders about meetings are collected here in `meetings`; those about cases, reflections, first
steps and reports are collected by `casework`, which registers its collectors from its
AppConfig.ready() (as with `panels`), so nothing imports upwards.

A collector gets the moment of the run and the schools' schedules and returns what is due *now*
and still applies: a moved meeting yields new events, a submitted case or a written reflection
yields nothing. Collectors must run a fixed number of queries, whatever the school's size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import ReminderSchedule

# A scheduled reminder is still sent this long after its moment (beat may have been down),
# but never after the event it is about.
GRACE = dt.timedelta(days=1)


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


_COLLECTORS: dict[str, Collector] = {}


def register(kind: str, collector: Collector) -> None:
    _COLLECTORS[kind] = collector


def registered() -> dict[str, Collector]:
    return dict(_COLLECTORS)


def window_open(now: dt.datetime, moment: dt.datetime, *, until: dt.datetime | None = None) -> bool:
    """True when a reminder meant for `moment` is due at `now` (within GRACE, before `until`)."""
    end = moment + GRACE
    if until is not None:
        end = min(end, until)
    return moment <= now < end
