"""Shared fixtures: one school with a team, a school year and two PLGs, a second school,
and one persona per role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.utils import translation

from meetings.services import year_plan_create
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    SchoolFactory,
    SchoolYearFactory,
    TeamFactory,
    UserFactory,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOON_BEFORE_YEAR = dt.datetime(2026, 8, 1, 12, 0, tzinfo=AMSTERDAM)


def pytest_configure(config):
    # WhiteNoise warns (an error under filterwarnings=error) when STATIC_ROOT is missing,
    # which it is on a fresh checkout where collectstatic never ran.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _reset_language():
    """Requests activate the user's language on the thread; start and end every test in Dutch."""
    translation.activate("nl")
    yield
    translation.activate("nl")


@dataclass
class World:
    school: object
    team: object
    school_year: object
    community: object
    other_community: object
    other_school: object
    other_team: object
    other_school_year: object
    other_school_community: object


@pytest.fixture
def world(db) -> World:
    school = SchoolFactory(name="Het Lyceum")
    team = TeamFactory(school=school, name="Onderbouw")
    school_year = SchoolYearFactory(school=school, name="2026-2027")
    community = CommunityFactory(team=team, school_year=school_year, name="Feedback")
    other_community = CommunityFactory(team=team, school_year=school_year, name="Formatief toetsen")
    other_school = SchoolFactory(name="Het College")
    other_team = TeamFactory(school=other_school, name="Bovenbouw")
    other_school_year = SchoolYearFactory(school=other_school, name="2026-2027")
    other_school_community = CommunityFactory(
        team=other_team, school_year=other_school_year, name="Taalbeleid"
    )
    return World(
        school=school,
        team=team,
        school_year=school_year,
        community=community,
        other_community=other_community,
        other_school=other_school,
        other_team=other_team,
        other_school_year=other_school_year,
        other_school_community=other_school_community,
    )


@pytest.fixture
def participant(world):
    user = UserFactory(email="participant@lyceum.example", name="Pia Participant")
    MembershipFactory(community=world.community, user=user, is_participant=True)
    return user


@pytest.fixture
def teacher_leader(world):
    user = UserFactory(email="leader@lyceum.example", name="Tom Teacherleader")
    MembershipFactory(
        community=world.community, user=user, is_participant=False, is_teacher_leader=True
    )
    return user


@pytest.fixture
def development_team(world):
    user = UserFactory(email="devteam@lyceum.example", name="Dana Devteam")
    MembershipFactory(
        community=world.community, user=user, is_participant=True, is_development_team=True
    )
    return user


@pytest.fixture
def team_leader(world):
    user = UserFactory(email="teamleader@lyceum.example", name="Tessa Teamleider")
    world.team.leaders.add(user)
    return user


@pytest.fixture
def school_admin(world):
    user = UserFactory(email="admin@lyceum.example", name="Paul Programmalead")
    world.school.admins.add(user)
    return user


@pytest.fixture
def expert(world):
    user = UserFactory(email="expert@university.example", name="Eva Expert")
    MembershipFactory(community=world.community, user=user, is_participant=False, is_expert=True)
    return user


@pytest.fixture
def other_plg_member(world):
    user = UserFactory(email="other@lyceum.example", name="Otto Otherplg")
    MembershipFactory(community=world.other_community, user=user, is_participant=True)
    return user


@pytest.fixture
def other_school_user(world):
    user = UserFactory(email="admin@college.example", name="Olga Otherschool")
    world.other_school.admins.add(user)
    MembershipFactory(community=world.other_school_community, user=user, is_teacher_leader=True)
    return user


@pytest.fixture
def anonymous():
    return None


@pytest.fixture
def persona_user(request):
    """Look a persona fixture up by name: `persona_user("expert")`."""
    return lambda name: request.getfixturevalue(name)


@pytest.fixture
def client_as(client, persona_user):
    """A test client signed in as the named persona (or anonymous)."""

    def sign_in(name: str):
        user = persona_user(name)
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


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
