"""Fixtures for the teacher leaders' own PLG: set up by the programme lead for world.school_year
with `teacher_leader` (of world.community) and `second_leader` (of world.other_community) as its
members, and its six meetings planned."""

from __future__ import annotations

import datetime as dt

import pytest

from meetings.services import year_plan_create
from teacherleaders.services.leader_plg import leader_plg_ensure
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def second_leader(world):
    user = UserFactory(email="leader2@lyceum.example", name="Sara Secondleader")
    MembershipFactory(
        community=world.other_community, user=user, is_participant=False, is_teacher_leader=True
    )
    return user


@pytest.fixture
def leader_plg(world, teacher_leader, second_leader, school_admin):
    return leader_plg_ensure(school_year=world.school_year, actor=school_admin)


@pytest.fixture
def leader_meetings(leader_plg, school_admin, before_the_year):
    """The six meetings of the teacher leaders' PLG, on Thursdays at 16:00."""
    return year_plan_create(
        community=leader_plg, actor=school_admin, weekday=3, start_time=dt.time(16, 0)
    )
