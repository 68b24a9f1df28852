"""The PLG page's member list (one plain SQL query) is the ORM's `community_members`."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.models import Membership
from communities.selectors import community_members, listed_members
from communities.services import learning_question_set
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _values(row) -> list[object] | None:
    return row and [getattr(row, field.attname) for field in row._meta.concrete_fields]


def _seen(membership: Membership) -> tuple:
    question = getattr(membership, "learning_question", None)
    return (_values(membership), _values(membership.user), _values(question))


def test_the_list_is_the_orms_in_its_order_with_users_and_questions(
    world, teacher_leader, development_team, participant, expert, other_plg_member
) -> None:
    # Same name: the e-mail address decides; a deleted account is not listed.
    for email in ("b@lyceum.example", "a@lyceum.example"):
        MembershipFactory(community=world.community, user=UserFactory(email=email, name="Sam Same"))
    MembershipFactory(
        community=world.community, user=UserFactory(name="Gone", deleted_at=timezone.now())
    )
    learning_question_set(
        membership=Membership.objects.get(community=world.community, user=participant),
        text="How do I <ask> better questions?",
    )

    with CaptureQueriesContext(connection) as queries:
        read = listed_members(world.community)
        seen = [_seen(member) for member in read]
    orm = list(community_members(world.community))

    assert len(queries) == 1  # users and learning questions come with the rows
    assert seen == [_seen(member) for member in orm]
    assert read[0].is_teacher_leader
    assert "Gone" not in [member.user.name for member in read]
    assert [m.user.email for m in read if m.user.name == "Sam Same"] == [
        "a@lyceum.example",
        "b@lyceum.example",
    ]
    asked = next(m for m in read if m.user_id == participant.pk)
    assert asked.learning_question.text == "How do I <ask> better questions?"
    assert asked.learning_question.membership is asked
