"""A PLG's size counts its current members; a deleted account stays only in the history."""

from __future__ import annotations

import pytest
from django.utils import timezone

from communities.models import Community

pytestmark = pytest.mark.django_db


def test_a_deleted_account_no_longer_counts_in_the_group_size(world, participant) -> None:
    before = Community.objects.with_counts().get(pk=world.community.pk).group_size
    participant.deleted_at = timezone.now()
    participant.save(update_fields=["deleted_at"])

    assert Community.objects.with_counts().get(pk=world.community.pk).group_size == before - 1


def test_the_plg_page_counts_its_warnings_as_with_counts_does(
    world, participant, teacher_leader, expert
) -> None:
    from communities.querysets import viewer_relation
    from communities.selectors import _warnings_for, community_page
    from tests.factories import MembershipFactory, UserFactory

    # A deleted teacher leader, a development-team member, and someone with both roles.
    gone = UserFactory(deleted_at=timezone.now())
    MembershipFactory(
        community=world.community, user=gone, is_participant=False, is_teacher_leader=True
    )
    MembershipFactory(community=world.community, is_participant=False, is_development_team=True)
    MembershipFactory(community=world.community, is_participant=True, is_expert=True)
    counted = Community.objects.with_counts().get(pk=world.community.pk)

    page = community_page(
        teacher_leader, world.community, viewer_relation(teacher_leader, world.community.pk)
    )

    assert page["warnings"] == _warnings_for(counted)
    assert counted.group_size == 4 and counted.teacher_leader_count == 1
