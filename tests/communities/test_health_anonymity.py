"""Who answered a health check cannot be matched to an answer, not even in the database: every
answer rewrites the moment's participation rows in random order with fresh random keys."""

from __future__ import annotations

import random
import uuid

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from communities import health_services
from communities.health_services import health_answer_submit
from communities.models import HealthCheckAnswer, HealthCheckParticipation
from tests.communities.health_helpers import DURING_MOMENT_1, add_members, create_moments, scores

pytestmark = pytest.mark.django_db


@pytest.fixture
def during_moment_1():
    with time_machine.travel(DURING_MOMENT_1, tick=False):
        yield


@pytest.fixture
def moment(world):
    return create_moments(world.community)[1]


def stored_order(moment) -> list[int]:
    """The members' ids in the order the database keeps the rows (rowid / physical order)."""
    table = HealthCheckParticipation._meta.db_table
    order = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT user_id FROM {table} WHERE moment_id = %s ORDER BY {order}",  # noqa: S608
            [moment.pk],
        )
        return [row[0] for row in cursor.fetchall()]


def test_participations_have_a_random_key():
    field = HealthCheckParticipation._meta.pk
    assert field.get_internal_type() == "UUIDField"
    assert isinstance(field.default(), uuid.UUID)


def test_every_answer_gives_every_participation_a_new_key(world, moment, during_moment_1):
    members = add_members(world.community, 4)
    seen: set[uuid.UUID] = set()
    for count, member in enumerate(members, start=1):
        health_answer_submit(moment=moment, user=member, scores=scores(count))
        keys = set(HealthCheckParticipation.objects.values_list("pk", flat=True))
        assert len(keys) == count
        assert keys.isdisjoint(seen)
        seen |= keys
    assert set(HealthCheckParticipation.objects.values_list("user_id", flat=True)) == {
        m.pk for m in members
    }
    assert HealthCheckAnswer.objects.filter(moment=moment).count() == 4


def test_stored_order_is_the_shuffled_order_not_the_answer_order(
    world, moment, during_moment_1, monkeypatch
):
    # A known "shuffle" (highest id first) shows the rows are written in the shuffle's order.
    monkeypatch.setattr(health_services, "_shuffle", lambda ids: ids.sort(reverse=True))
    members = sorted(add_members(world.community, 4), key=lambda m: m.pk)
    for member in members:
        health_answer_submit(moment=moment, user=member, scores=scores(3))
    assert stored_order(moment) == sorted((m.pk for m in members), reverse=True)


def test_each_answer_shuffles_all_who_answered_with_system_randomness(
    world, moment, during_moment_1, monkeypatch
):
    assert isinstance(health_services._shuffle.__self__, random.SystemRandom)
    shuffled: list[list[int]] = []
    real = health_services._shuffle
    monkeypatch.setattr(
        health_services, "_shuffle", lambda ids: (shuffled.append(sorted(ids)), real(ids))
    )
    members = add_members(world.community, 3)
    for member in members:
        health_answer_submit(moment=moment, user=member, scores=scores(4))
    ids = [m.pk for m in members]
    assert shuffled == [sorted(ids[:1]), sorted(ids[:2]), sorted(ids)]


def test_a_second_answer_is_refused_and_changes_nothing(world, moment, during_moment_1):
    first, second = add_members(world.community, 2)
    health_answer_submit(moment=moment, user=first, scores=scores(2))
    health_answer_submit(moment=moment, user=second, scores=scores(5))
    keys = set(HealthCheckParticipation.objects.values_list("pk", flat=True))

    with pytest.raises(ValidationError):
        health_answer_submit(moment=moment, user=first, scores=scores(1))

    assert set(HealthCheckParticipation.objects.values_list("pk", flat=True)) == keys
    assert sorted(a.scores()[1] for a in HealthCheckAnswer.objects.filter(moment=moment)) == [2, 5]


def test_other_moments_keep_their_rows(world, during_moment_1):
    moments = create_moments(world.community)
    first, second = add_members(world.community, 2)
    HealthCheckParticipation.objects.create(moment=moments[2], user=first)
    kept = HealthCheckParticipation.objects.get(moment=moments[2]).pk

    health_answer_submit(moment=moments[1], user=first, scores=scores(3))
    health_answer_submit(moment=moments[1], user=second, scores=scores(3))

    assert HealthCheckParticipation.objects.get(moment=moments[2]).pk == kept
    assert HealthCheckParticipation.objects.filter(moment=moments[1]).count() == 2
