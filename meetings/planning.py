"""Pure date arithmetic for the year plan: school weeks and the six meeting dates.

A school week is a Monday-to-Friday week with at least one school day (a weekday inside the
school year or period that is not a holiday). No meeting is ever planned on a holiday.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Span:
    first: dt.date
    last: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.first <= day <= self.last


@dataclass(frozen=True)
class PlannedDate:
    number: int
    day: dt.date
    notes: list[str] = field(default_factory=list)


def is_holiday(day: dt.date, holidays: Sequence[Span]) -> bool:
    return any(day in holiday for holiday in holidays)


def school_weeks(span: Span, holidays: Sequence[Span]) -> list[dt.date]:
    """The Mondays of the weeks in the span that hold at least one school day."""
    monday = span.first - dt.timedelta(days=span.first.weekday())
    weeks = []
    while monday <= span.last:
        days = (monday + dt.timedelta(days=offset) for offset in range(5))
        if any(day in span and not is_holiday(day, holidays) for day in days):
            weeks.append(monday)
        monday += dt.timedelta(days=7)
    return weeks


def meeting_day_in_week(
    monday: dt.date, weekday: int, span: Span, holidays: Sequence[Span]
) -> dt.date | None:
    """The chosen weekday in that week, if it is a school day inside the span."""
    day = monday + dt.timedelta(days=weekday)
    if day in span and not is_holiday(day, holidays):
        return day
    return None


def _pick(
    weeks: list[dt.date],
    index: int,
    weekday: int,
    span: Span,
    holidays: Sequence[Span],
) -> tuple[dt.date | None, int]:
    """The meeting day in weeks[index], else the nearest later (then earlier) usable week."""
    order = list(range(index, len(weeks))) + list(range(index - 1, -1, -1))
    for position in order:
        day = meeting_day_in_week(weeks[position], weekday, span, holidays)
        if day is not None:
            return day, position
    return None, -1


def plan_dates(
    *,
    year: Span,
    periods: Sequence[Span],
    holidays: Sequence[Span],
    weekday: int,
) -> list[PlannedDate]:
    """The six theme-meeting dates for a school year, with notes where a rule had to bend.

    1: the 2nd school week of the year; 2-5: the 6th school week of periods 1-4 (the last
    school week when a period is shorter); 6: the last school week of the year.
    """
    if not 0 <= weekday <= 6:
        raise ValueError("weekday counts from 0 (Monday) to 6 (Sunday)")
    plan: list[PlannedDate] = []

    def add(number: int, span: Span, index: int, wanted: str) -> None:
        weeks = school_weeks(span, holidays)
        notes: list[str] = []
        if not weeks:
            raise ValueError(f"no school weeks for meeting {number}")
        if index >= len(weeks):
            notes.append(
                _(
                    "This period has only %(count)d school weeks; the meeting is in its "
                    "last school week instead of the 6th."
                )
                % {"count": len(weeks)}
            )
            index = len(weeks) - 1
        day, position = _pick(weeks, index, weekday, span, holidays)
        if day is None:
            raise ValueError(f"no usable day for meeting {number}")
        if position != index:
            notes.append(
                _("The chosen weekday is not a school day in the %(week)s; moved to %(day)s.")
                % {"week": wanted, "day": day.isoformat()}
            )
        plan.append(PlannedDate(number=number, day=day, notes=notes))

    add(1, year, 1, _("2nd school week"))
    for number, period in enumerate(periods, start=2):
        add(number, period, 5, _("6th school week"))
    last_index = len(school_weeks(year, holidays)) - 1
    add(6, year, last_index, _("last school week"))
    return plan
