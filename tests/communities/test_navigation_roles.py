"""The navigation's roles: one query, and "Absence requests" for everyone who decides them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import CommunityKind
from communities.permissions import navigation_roles
from tests.factories import CommunityFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaders_plg(world):
    team = TeamFactory(school=world.school, name="Teacher leaders")
    return CommunityFactory(
        team=team, school_year=world.school_year, kind=CommunityKind.TEACHER_LEADERS
    )


def _offers_absence_requests(client) -> bool:
    return (
        reverse("meetings:absence_list")
        in client.get(reverse("communities:dashboard")).content.decode()
    )


def test_a_programme_lead_of_a_school_with_a_teacher_leaders_plg_decides_absence(
    client_as, world, school_admin, leaders_plg
) -> None:
    client = client_as("school_admin")

    assert navigation_roles(school_admin)["decides_absence"] is True
    assert _offers_absence_requests(client)
    assert client.get(reverse("meetings:absence_list")).status_code == 200


def test_a_programme_lead_of_a_school_without_one_is_not_offered_it(
    client_as, world, school_admin
) -> None:
    assert navigation_roles(school_admin)["decides_absence"] is False
    assert not _offers_absence_requests(client_as("school_admin"))


def test_another_schools_teacher_leaders_plg_does_not_count(
    client_as, world, leaders_plg, other_school_user
) -> None:
    world.other_school.admins.add(other_school_user)

    assert navigation_roles(other_school_user)["decides_absence"] is False


@pytest.mark.parametrize(("persona", "offered"), [("team_leader", True), ("participant", False)])
def test_team_leaders_are_offered_absence_requests(
    client_as, world, leaders_plg, persona, offered
) -> None:
    assert _offers_absence_requests(client_as(persona)) is offered


def test_the_roles_cost_one_query(world, school_admin, leaders_plg) -> None:
    with CaptureQueriesContext(connection) as queries:
        navigation_roles(school_admin)

    assert len(queries) == 1
