"""`dashboard_entries` (one SQL query) lists what `dashboard_communities` (the ORM) lists."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.selectors import _warnings_for, dashboard_communities, dashboard_entries
from tests.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.personas import SIGNED_IN

pytestmark = pytest.mark.django_db


def _as_seen(communities, memberships) -> list[tuple]:
    return [
        (
            c.pk,
            c.name,
            c.team.name,
            c.school_year.name,
            c.school_year.starts_on,
            memberships(c),
            c.viewer_leads_team,
            c.viewer_is_school_admin,
            c.group_size,
            c.teacher_leader_count,
            c.warnings if hasattr(c, "warnings") else _warnings_for(c),
        )
        for c in communities
    ]


@pytest.fixture
def busy_world(world, teacher_leader, team_leader, school_admin, expert, other_plg_member):
    """Deleted and guest members, a second school year, and a PLG led by the team leader."""
    gone = UserFactory(deleted_at=timezone.now())
    MembershipFactory(
        community=world.community, user=gone, is_participant=False, is_teacher_leader=True
    )
    MembershipFactory(community=world.community, is_participant=True, is_expert=True)
    later = CommunityFactory(
        team=world.team, school_year__school=world.school, school_year__name="2027-2028"
    )
    MembershipFactory(community=later, user=team_leader, is_participant=True)
    MembershipFactory.create_batch(3, community=later)
    return world


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_the_dashboard_lists_what_the_queryset_lists(busy_world, persona_user, persona) -> None:
    user = persona_user(persona)
    orm = _as_seen(
        dashboard_communities(user),
        lambda c: [(m.pk, m.roles) for m in c.my_memberships][:1] or None,
    )

    entries = _as_seen(
        dashboard_entries(user),
        lambda c: c.my_membership and [(c.my_membership.pk, c.my_membership.roles)],
    )

    assert entries == orm
    assert entries


def test_the_dashboard_is_one_query_and_empty_for_the_signed_out(busy_world, teacher_leader):
    with CaptureQueriesContext(connection) as captured:
        dashboard_entries(teacher_leader)

    assert len(captured) == 1
    assert dashboard_entries(AnonymousUser()) == []
