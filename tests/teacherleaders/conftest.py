"""Fixtures for teacher-leader pages: a co-teacher leader, another school's teacher leader, and
a moment inside the world fixture's school year (the year must not have ended)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.conftest import AMSTERDAM
from tests.factories import MembershipFactory, UserFactory

IN_THE_YEAR = dt.datetime(2026, 10, 1, 12, 0, tzinfo=AMSTERDAM)


@pytest.fixture
def in_the_year():
    """Freeze time at noon on 1 October 2026, inside the world fixture's school year."""
    with time_machine.travel(IN_THE_YEAR, tick=False) as traveller:
        yield traveller


@pytest.fixture
def co_teacher_leader(world):
    """The second teacher leader of world.community."""
    user = UserFactory(email="coleader@lyceum.example", name="Cora Coleader")
    MembershipFactory(
        community=world.community, user=user, is_participant=False, is_teacher_leader=True
    )
    return user


@pytest.fixture
def other_plg_leader(world):
    """A teacher leader of the school's other PLG (a colleague teacher leader, not a co-leader)."""
    user = UserFactory(email="otherleader@lyceum.example", name="Olaf Otherleader")
    MembershipFactory(
        community=world.other_community, user=user, is_participant=False, is_teacher_leader=True
    )
    return user


@pytest.fixture
def other_school_leader(world):
    """A teacher leader at another school, with no other role."""
    user = UserFactory(email="leader@college.example", name="Ola Otherschoolleader")
    MembershipFactory(
        community=world.other_school_community,
        user=user,
        is_participant=False,
        is_teacher_leader=True,
    )
    return user
