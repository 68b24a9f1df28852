"""Fixtures for the theme calendar: a PLG with its six meetings planned, seen from before the
school year starts (time is frozen so "has the meeting taken place?" does not drift)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from meetings.services import year_plan_create

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOON_BEFORE_YEAR = dt.datetime(2026, 8, 1, 12, 0, tzinfo=AMSTERDAM)


@pytest.fixture
def before_the_year():
    """Freeze time at noon on 1 August 2026, before the school year of the world fixture."""
    with time_machine.travel(NOON_BEFORE_YEAR, tick=False) as traveller:
        yield traveller


@pytest.fixture
def meetings(world, teacher_leader, before_the_year):
    """The six meetings of world.community, planned on Tuesdays at 15:30 in room B1.04."""
    return year_plan_create(
        community=world.community,
        actor=teacher_leader,
        weekday=1,
        start_time=dt.time(15, 30),
        location="B1.04",
    )
