"""Shared set-up for the health-check tests: three moments, answers, extra members."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from communities.health_services import health_answer_submit
from communities.models import Characteristic, HealthCheckMoment
from tests.factories import MembershipFactory, UserFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MOMENT_DATES = {
    1: (dt.date(2026, 9, 1), dt.date(2026, 9, 15)),
    2: (dt.date(2026, 11, 20), dt.date(2026, 12, 4)),
    3: (dt.date(2027, 7, 1), dt.date(2027, 7, 14)),
}
# Noon on a day when moment 1 is open, and one when moment 2 is.
DURING_MOMENT_1 = dt.datetime(2026, 9, 5, 12, 0, tzinfo=AMSTERDAM)
DURING_MOMENT_2 = dt.datetime(2026, 11, 25, 12, 0, tzinfo=AMSTERDAM)


def create_moments(community) -> dict[int, HealthCheckMoment]:
    return {
        number: HealthCheckMoment.objects.create(
            community=community, number=number, opens_on=opens_on, closes_on=closes_on
        )
        for number, (opens_on, closes_on) in MOMENT_DATES.items()
    }


def scores(*values: int) -> dict[int, int]:
    """Seven scores; a single value is used for all seven."""
    if len(values) == 1:
        values = values * 7
    return dict(zip([c.value for c in Characteristic], values, strict=True))


def add_members(community, count: int) -> list:
    users = UserFactory.create_batch(count)
    for user in users:
        MembershipFactory(community=community, user=user, is_participant=True)
    return users


def answer_all(moment, users, score_sets, comments=None) -> None:
    comments = comments or [""] * len(users)
    for user, values, comment in zip(users, score_sets, comments, strict=True):
        health_answer_submit(moment=moment, user=user, scores=values, comment=comment)
