"""The small access and read helpers the views share."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from communities.health_selectors import has_answered, health_moments
from communities.models import HealthCheckParticipation
from communities.permissions import leads_community, refusal_for
from communities.selectors import schools_of_person
from tests.communities.health_helpers import create_moments
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "leads"),
    [
        ("teacher_leader", True),
        ("participant", False),
        ("development_team", False),
        ("team_leader", False),
        ("school_admin", False),
        ("other_plg_member", False),
    ],
)
def test_leads_community_is_only_for_the_plgs_teacher_leaders(
    world, persona_user, persona, leads
) -> None:
    assert leads_community(persona_user(persona), world.community) is leads


def test_leads_community_is_false_for_an_anonymous_visitor(world) -> None:
    assert leads_community(AnonymousUser(), world.community) is False


def test_has_answered_follows_the_participation_row(world, participant) -> None:
    moment = create_moments(world.community)[1]
    assert not has_answered(participant, moment)

    HealthCheckParticipation.objects.create(moment=moment, user=participant)

    assert has_answered(participant, moment)


def test_a_proposed_moment_has_no_answers(world, participant) -> None:
    proposed = health_moments(world.community)[0]
    assert proposed.pk is None
    assert not has_answered(participant, proposed)


def test_schools_of_person_lists_each_school_once(world, participant) -> None:
    world.school.admins.add(participant)
    world.team.leaders.add(participant)
    MembershipFactory(community=world.other_community, user=participant)
    MembershipFactory(community=world.other_school_community, user=participant)

    assert list(schools_of_person(participant)) == sorted(
        [world.school, world.other_school], key=lambda school: school.pk
    )


def test_refusal_for_keeps_its_rules(world, school_admin, participant, other_plg_member) -> None:
    assert refusal_for(school=world.school, person=participant, actor=school_admin) is None
    assert refusal_for(school=world.school, person=school_admin, actor=school_admin)
    MembershipFactory(community=world.other_school_community, user=participant)
    assert refusal_for(school=world.school, person=participant, actor=school_admin)
