"""`viewer_relation` (one SQL query for one PLG) follows the querysets' rules exactly."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.models import Community, Membership
from communities.querysets import NO_RELATION, viewer_relation
from tests.personas import PERSONAS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_relation_agrees_with_visible_to_and_manageable_by_on_every_plg(
    world, persona_user, other_plg_member, other_school_user, persona
) -> None:
    user = persona_user(persona)
    communities = list(Community.objects.all())
    assert len(communities) >= 3  # the PLG, another of the school, one of another school

    for community in communities:
        relation = viewer_relation(user, community.pk)
        visible = Community.objects.visible_to(user).filter(pk=community.pk).exists()
        manageable = Community.objects.manageable_by(user).filter(pk=community.pk).exists()
        assert (relation.sees, relation.manages) == (visible, manageable), (persona, community)


def test_the_relation_names_each_role(
    world, participant, teacher_leader, team_leader, school_admin, expert
) -> None:
    plg = world.community.pk
    assert viewer_relation(participant, plg).member
    assert not viewer_relation(participant, plg).teacher_leader
    assert viewer_relation(teacher_leader, plg).teacher_leader
    assert viewer_relation(team_leader, plg).leads_team
    assert not viewer_relation(team_leader, plg).member
    assert viewer_relation(school_admin, plg).administers_school
    assert viewer_relation(expert, plg).sees
    assert not viewer_relation(expert, plg).manages


def test_no_relation_for_the_signed_out_an_inactive_account_or_a_missing_plg(
    world, teacher_leader
) -> None:
    assert viewer_relation(AnonymousUser(), world.community.pk) == NO_RELATION
    assert viewer_relation(teacher_leader, 10**9) == NO_RELATION
    teacher_leader.is_active = False
    assert viewer_relation(teacher_leader, world.community.pk) == NO_RELATION


def test_the_relation_is_one_query(world, team_leader) -> None:
    with CaptureQueriesContext(connection) as queries:
        viewer_relation(team_leader, world.community.pk)
    assert len(queries) == 1


def test_the_membership_comes_back_as_the_orm_reads_it(world, teacher_leader, team_leader) -> None:
    membership = viewer_relation(teacher_leader, world.community.pk).membership
    expected = Membership.objects.get(community=world.community, user=teacher_leader)

    for field in Membership._meta.concrete_fields:
        value, wanted = getattr(membership, field.attname), getattr(expected, field.attname)
        assert value == wanted and type(value) is type(wanted), field.name
    assert membership.is_teacher_leader is True
    assert viewer_relation(team_leader, world.community.pk).membership is None


def test_the_meeting_access_reuses_the_relation_read_when_opening_the_meeting(
    world, teacher_leader, meetings
) -> None:
    from meetings.permissions import get_meeting_for, meeting_access

    meeting = get_meeting_for(teacher_leader, meetings[0].pk)
    with CaptureQueriesContext(connection) as queries:
        access = meeting_access(teacher_leader, meeting)

    assert access.plan and access.membership.is_teacher_leader
    assert len(queries) == 1  # only whether they prepare this meeting


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_plg_yearly_rule_on_the_relation_agrees_with_yearly_communities(
    world, persona_user, other_plg_member, other_school_user, persona
) -> None:
    from casework.permissions import opens_plg_yearly, yearly_communities

    user = persona_user(persona) or AnonymousUser()
    for community in Community.objects.all():
        expected = yearly_communities(user).filter(pk=community.pk).exists()
        assert opens_plg_yearly(viewer_relation(user, community.pk)) == expected, persona
