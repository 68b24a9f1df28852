"""The year plan's date rules, for school years of different shapes."""

from __future__ import annotations

import datetime as dt

import pytest

from meetings.planning import Span, plan_dates, school_weeks

D = dt.date
MONDAY, TUESDAY, WEDNESDAY = 0, 1, 2


def _days(plan):
    return [planned.day for planned in plan]


# The demo year: starts on a Monday; the spring holiday falls inside period 3's first six
# weeks and the May holiday opens period 4.
YEAR_A = Span(D(2026, 8, 24), D(2027, 7, 16))
PERIODS_A = [
    Span(D(2026, 8, 24), D(2026, 11, 6)),
    Span(D(2026, 11, 9), D(2027, 1, 29)),
    Span(D(2027, 2, 1), D(2027, 4, 23)),
    Span(D(2027, 4, 26), D(2027, 7, 16)),
]
HOLIDAYS_A = [
    Span(D(2026, 10, 19), D(2026, 10, 23)),
    Span(D(2026, 12, 21), D(2027, 1, 1)),
    Span(D(2027, 2, 22), D(2027, 2, 26)),
    Span(D(2027, 4, 26), D(2027, 5, 7)),
]

# Starts on a Wednesday; period 3 has only four school weeks.
YEAR_B = Span(D(2026, 9, 2), D(2027, 7, 9))
PERIODS_B = [
    Span(D(2026, 9, 2), D(2026, 11, 20)),
    Span(D(2026, 11, 23), D(2027, 2, 5)),
    Span(D(2027, 2, 8), D(2027, 3, 5)),
    Span(D(2027, 3, 8), D(2027, 7, 9)),
]

# A one-day study day falls on the chosen weekday in period 1's sixth week.
YEAR_C = Span(D(2027, 8, 30), D(2028, 7, 14))
PERIODS_C = [
    Span(D(2027, 8, 30), D(2027, 11, 5)),
    Span(D(2027, 11, 8), D(2028, 1, 28)),
    Span(D(2028, 1, 31), D(2028, 4, 21)),
    Span(D(2028, 4, 24), D(2028, 7, 14)),
]
HOLIDAYS_C = [
    Span(D(2027, 10, 6), D(2027, 10, 6)),
    Span(D(2027, 10, 18), D(2027, 10, 22)),
    Span(D(2027, 12, 27), D(2028, 1, 7)),
    Span(D(2028, 2, 28), D(2028, 3, 3)),
    Span(D(2028, 4, 24), D(2028, 5, 5)),
]


def test_demo_year_plans_second_week_sixth_weeks_and_last_week() -> None:
    plan = plan_dates(year=YEAR_A, periods=PERIODS_A, holidays=HOLIDAYS_A, weekday=TUESDAY)

    assert _days(plan) == [
        D(2026, 9, 1),
        D(2026, 9, 29),
        D(2026, 12, 15),
        D(2027, 3, 16),  # the spring-holiday week does not count
        D(2027, 6, 15),  # the two May-holiday weeks do not count
        D(2027, 7, 13),
    ]
    assert all(not planned.notes for planned in plan)


def test_year_starting_midweek_counts_its_first_week_and_short_period_uses_last_week() -> None:
    plan = plan_dates(year=YEAR_B, periods=PERIODS_B, holidays=[], weekday=MONDAY)

    assert _days(plan) == [
        D(2026, 9, 7),
        D(2026, 10, 5),
        D(2026, 12, 28),
        D(2027, 3, 1),
        D(2027, 4, 12),
        D(2027, 7, 5),
    ]
    assert plan[3].notes and "4" in plan[3].notes[0]


def test_meeting_never_falls_on_a_holiday_and_moves_to_the_next_school_week() -> None:
    plan = plan_dates(year=YEAR_C, periods=PERIODS_C, holidays=HOLIDAYS_C, weekday=WEDNESDAY)

    assert _days(plan) == [
        D(2027, 9, 8),
        D(2027, 10, 13),
        D(2027, 12, 15),
        D(2028, 3, 15),  # the spring-holiday week does not count
        D(2028, 6, 14),
        D(2028, 7, 12),
    ]
    assert plan[1].notes
    for planned in plan:
        assert not any(planned.day in holiday for holiday in HOLIDAYS_C)


@pytest.mark.parametrize("weekday", range(5))
def test_every_weekday_gives_six_dates_inside_the_year_in_order(weekday: int) -> None:
    plan = plan_dates(year=YEAR_A, periods=PERIODS_A, holidays=HOLIDAYS_A, weekday=weekday)

    days = _days(plan)
    assert len(days) == 6
    assert days == sorted(days)
    assert all(day in YEAR_A and day.weekday() == weekday for day in days)


def test_a_week_wholly_inside_a_holiday_is_not_a_school_week() -> None:
    weeks = school_weeks(Span(D(2026, 10, 12), D(2026, 10, 30)), HOLIDAYS_A)

    assert weeks == [D(2026, 10, 12), D(2026, 10, 26)]


def test_weekday_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError):
        plan_dates(year=YEAR_A, periods=PERIODS_A, holidays=HOLIDAYS_A, weekday=7)
