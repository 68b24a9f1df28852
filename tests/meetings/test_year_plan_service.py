"""meetings.services.year_plan_create: the scripted contract of the year plan."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from meetings.models import Meeting, MeetingChange
from meetings.services import year_plan_create
from tests.factories import HolidayFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOON_BEFORE_YEAR = dt.datetime(2026, 8, 1, 12, 0, tzinfo=AMSTERDAM)


@pytest.fixture
def plan(world, teacher_leader):
    with time_machine.travel(NOON_BEFORE_YEAR, tick=False):
        return year_plan_create(
            community=world.community,
            actor=teacher_leader,
            weekday=1,
            start_time=dt.time(15, 30),
            location="Mediatheek",
        )


def test_year_plan_returns_six_meetings_in_order(plan) -> None:
    assert [meeting.number for meeting in plan] == [1, 2, 3, 4, 5, 6]
    assert [m.starts_at for m in plan] == sorted(m.starts_at for m in plan)


def test_year_plan_starts_are_aware_amsterdam_times_on_the_chosen_weekday(plan) -> None:
    for meeting in plan:
        local = meeting.starts_at.astimezone(AMSTERDAM)
        assert local.weekday() == 1
        assert local.time() == dt.time(15, 30)
        assert meeting.duration == dt.timedelta(hours=2, minutes=30)
        assert meeting.location == "Mediatheek"


def test_year_plan_expects_the_team_leader_at_meetings_one_and_six(plan) -> None:
    assert [m.team_leader_expected for m in plan] == [True, False, False, False, False, True]


def test_year_plan_gives_meeting_one_the_starting_teachers_theme(plan) -> None:
    assert plan[0].theme is not None
    assert plan[0].theme.title == "Startende docenten"
    assert all(meeting.theme is None for meeting in plan[1:])


def test_year_plan_records_who_planned_each_meeting(plan, teacher_leader) -> None:
    assert MeetingChange.objects.filter(actor=teacher_leader).count() == 6


def test_planning_again_is_refused_with_a_clear_message(plan, world, teacher_leader) -> None:
    with pytest.raises(ValidationError, match="al een jaarplanning"):
        year_plan_create(
            community=world.community, actor=teacher_leader, weekday=3, start_time=dt.time(9)
        )

    assert Meeting.objects.filter(community=world.community).count() == 6


def test_replacing_keeps_meetings_that_took_place_and_moves_the_rest(
    plan, world, teacher_leader
) -> None:
    first_start = plan[0].starts_at
    with time_machine.travel(dt.datetime(2026, 10, 1, 12, tzinfo=AMSTERDAM), tick=False):
        replanned = year_plan_create(
            community=world.community,
            actor=teacher_leader,
            weekday=3,
            start_time=dt.time(14),
            replace=True,
        )

    assert replanned[0].starts_at == first_start
    assert replanned[1].starts_at.astimezone(AMSTERDAM).weekday() == 1  # 29 Sep: held
    assert all(m.starts_at.astimezone(AMSTERDAM).weekday() == 3 for m in replanned[2:])
    assert all(m.sequence == 1 for m in replanned[2:])
    assert Meeting.objects.filter(community=world.community).count() == 6


def test_no_meeting_is_planned_on_a_holiday(world, teacher_leader) -> None:
    HolidayFactory(
        school_year=world.school_year,
        name="Studiedag",
        first_day=dt.date(2026, 9, 1),
        last_day=dt.date(2026, 9, 1),
    )

    meetings = year_plan_create(
        community=world.community, actor=teacher_leader, weekday=1, start_time=dt.time(15)
    )

    assert meetings[0].starts_at.astimezone(AMSTERDAM).date() != dt.date(2026, 9, 1)
    assert meetings[0].planning_note


def test_negative_duration_is_refused(world, teacher_leader) -> None:
    with pytest.raises(ValidationError):
        year_plan_create(
            community=world.community,
            actor=teacher_leader,
            weekday=1,
            start_time=dt.time(15),
            duration=dt.timedelta(minutes=-5),
        )

    assert not Meeting.objects.filter(community=world.community).exists()
