"""Who can own a health action or contribute to a product: the group, never a deleted account."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from communities.health_forms import HealthActionForm
from communities.health_services import health_action_create
from communities.product_forms import ProductForm
from communities.product_services import product_save
from communities.selectors import group_member_users
from tests.communities.health_helpers import create_moments

pytestmark = pytest.mark.django_db


@pytest.fixture
def deleted_participant(participant):
    participant.deleted_at = timezone.now()
    participant.save(update_fields=["deleted_at"])
    return participant


def test_group_member_users_leaves_out_guests_and_deleted_accounts(
    world, teacher_leader, development_team, expert, deleted_participant
) -> None:
    assert set(group_member_users(world.community)) == {teacher_leader, development_team}


def test_a_deleted_account_is_not_offered_as_owner_or_contributor(
    world, teacher_leader, deleted_participant
) -> None:
    owners = HealthActionForm(community=world.community).fields["owner"].queryset
    contributors = ProductForm(community=world.community).fields["contributors"].queryset

    assert deleted_participant not in owners
    assert deleted_participant not in contributors
    assert teacher_leader in owners
    assert teacher_leader in contributors


def test_a_deleted_account_cannot_own_a_health_action(
    world, teacher_leader, deleted_participant
) -> None:
    moment = create_moments(world.community)[1]
    with pytest.raises(ValidationError) as raised:
        health_action_create(
            moment=moment,
            characteristic=1,
            role="participant",
            text="Share your values.",
            owner=deleted_participant,
            actor=teacher_leader,
        )
    assert "owner" in raised.value.error_dict


def test_a_deleted_account_cannot_contribute_to_the_product(
    world, teacher_leader, deleted_participant
) -> None:
    with pytest.raises(ValidationError) as raised:
        product_save(
            community=world.community,
            actor=teacher_leader,
            title="Feedback guide",
            goal="Better feedback",
            contributors=[deleted_participant],
        )
    assert "contributors" in raised.value.error_dict
