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
