"""Links on a PLG's pages follow the rights in this PLG, not a role somewhere else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(world):
    return MembershipFactory(
        community=world.community, user=UserFactory(email="mia@lyceum.example", name="Mia Member")
    )


def _member_edit(client, world, member):
    return client.get(reverse("communities:member_edit", args=[world.community.pk, member.pk]))


def _delete_url(world, member):
    return reverse("communities:account_delete", args=[world.school.pk, member.user_id])


def test_the_schools_programme_lead_is_offered_to_delete_the_account(
    client_as, world, member
) -> None:
    response = _member_edit(client_as("school_admin"), world, member)

    assert _delete_url(world, member) in response.content.decode()


def test_a_programme_lead_of_another_school_is_not_offered_to_delete_the_account(
    client, world, teacher_leader, member
) -> None:
    # The teacher leader of this PLG administers another school: no right here.
    world.other_school.admins.add(teacher_leader)
    client.force_login(teacher_leader)

    response = _member_edit(client, world, member)

    assert response.status_code == 200
    assert _delete_url(world, member) not in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "offered"),
    [
        ("participant", False),
        ("expert", False),
        ("teacher_leader", True),
        ("team_leader", True),
        ("school_admin", True),
    ],
)
def test_yearly_report_link_shows_to_who_may_open_it(client_as, world, persona, offered) -> None:
    response = client_as(persona).get(reverse("communities:detail", args=[world.community.pk]))

    url = reverse("casework:yearly_plg", args=[world.community.pk])
    assert (url in response.content.decode()) is offered


def test_leading_another_team_does_not_show_this_plgs_yearly_report(
    client, world, participant
) -> None:
    world.other_team.leaders.add(participant)
    client.force_login(participant)

    response = client.get(reverse("communities:detail", args=[world.community.pk]))

    assert reverse("casework:yearly_plg", args=[world.community.pk]) not in (
        response.content.decode()
    )
