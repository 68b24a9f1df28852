"""The navigation's roles: one query, and "Absence requests" for everyone who decides them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import CommunityKind
from communities.permissions import navigation_roles
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    SchoolYearFactory,
    TeamFactory,
    UserFactory,
)

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


NOBODY = dict.fromkeys(("is_school_admin", "leads_team", "leads_plg", "decides_absence"), False)


def test_each_role_is_read_from_its_own_rule(
    world, participant, teacher_leader, team_leader, school_admin, leaders_plg
) -> None:
    # The roles are one SQL query (the navigation's hot path): pin every flag for every role.
    assert navigation_roles(participant) == NOBODY
    assert navigation_roles(teacher_leader) == NOBODY | {"leads_plg": True}
    assert navigation_roles(team_leader) == NOBODY | {"leads_team": True, "decides_absence": True}
    assert navigation_roles(school_admin) == NOBODY | {
        "is_school_admin": True,
        "decides_absence": True,
    }


def test_leading_the_teacher_leaders_own_plg_or_a_past_year_is_not_leading_a_plg(
    world, leaders_plg
) -> None:
    leader = UserFactory()
    MembershipFactory(community=leaders_plg, user=leader, is_teacher_leader=True)
    assert navigation_roles(leader)["leads_plg"] is False

    past = CommunityFactory(
        team=world.community.team,
        school_year=SchoolYearFactory(
            school=world.school,
            starts_on=dt.date(2020, 8, 1),
            ends_on=dt.date(2021, 7, 31),
            periods=[],
        ),
    )
    MembershipFactory(community=past, user=leader, is_teacher_leader=True)
    assert navigation_roles(leader)["leads_plg"] is False

    MembershipFactory(community=world.community, user=leader, is_teacher_leader=True)
    assert navigation_roles(leader)["leads_plg"] is True


def test_a_signed_out_or_inactive_user_has_no_roles(world, team_leader) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert navigation_roles(AnonymousUser()) == NOBODY
    team_leader.is_active = False
    assert navigation_roles(team_leader) == NOBODY
