"""Health-check reads: aggregates only from 3 answers, spread in words, suggestions, the trend
for many PLGs in a fixed number of queries, and the radar chart."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.health_selectors import health_averages, health_trend, moment_results
from communities.models import Community
from plg_platform.charts import RadarSeries, radar
from tests.communities.health_helpers import (
    DURING_MOMENT_1,
    DURING_MOMENT_2,
    add_members,
    answer_all,
    create_moments,
    scores,
)
from tests.factories import CommunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def during_moment_1():
    with time_machine.travel(DURING_MOMENT_1, tick=False):
        yield


def test_fewer_than_three_answers_show_nothing(world, during_moment_1):
    moment = create_moments(world.community)[1]
    users = add_members(world.community, 2)
    answer_all(moment, users, [scores(1), scores(5)], ["secret one", "secret two"])
    results = moment_results(moment)
    assert results.answer_count == 2
    assert not results.shown
    assert results.characteristics == []
    assert results.comments == []
    assert results.overall_average is None


def test_average_and_spread_per_characteristic(world, during_moment_1):
    moment = create_moments(world.community)[1]
    users = add_members(world.community, 3)
    answer_all(moment, users, [scores(1), scores(3), scores(5)])
    results = moment_results(moment)
    first = results.characteristics[0]
    assert results.shown
    assert first.average == 3.0
    assert first.spread == pytest.approx(1.63, abs=0.01)
    assert first.is_diverging and first.needs_attention
    assert first.suggestions


def test_agreeing_high_scores_need_no_attention(world, during_moment_1):
    moment = create_moments(world.community)[1]
    users = add_members(world.community, 3)
    answer_all(moment, users, [scores(4), scores(4), scores(5)])
    results = moment_results(moment)
    assert results.attention == []
    assert all(r.suggestions == () for r in results.characteristics)


def test_low_average_gets_suggestions_for_roles(world, during_moment_1):
    moment = create_moments(world.community)[1]
    users = add_members(world.community, 3)
    low_conditions = [scores(4, 4, 4, 4, 4, 4, 2)] * 3
    answer_all(moment, users, low_conditions)
    attention = moment_results(moment).attention
    assert [r.characteristic.value for r in attention] == [7]
    assert {s.role for s in attention[0].suggestions} >= {"team_leader", "organiser"}


def test_comments_are_shown_without_names_in_key_order(world, during_moment_1):
    moment = create_moments(world.community)[1]
    users = add_members(world.community, 3)
    answer_all(moment, users, [scores(3)] * 3, ["a", "", "c"])
    assert sorted(moment_results(moment).comments) == ["a", "c"]


def _plgs_with_answers(world, count: int) -> list[Community]:
    communities = []
    for _ in range(count):
        community = CommunityFactory(team=world.team, school_year=world.school_year)
        moments = create_moments(community)
        users = add_members(community, 3)
        with time_machine.travel(DURING_MOMENT_1, tick=False):
            answer_all(moments[1], users, [scores(2), scores(3), scores(4)])
        # Moment 2: only two answers, so its average stays hidden.
        with time_machine.travel(DURING_MOMENT_2, tick=False):
            answer_all(moments[2], users[:2], [scores(5), scores(5)])
        communities.append(community)
    return communities


def _trend_queries(communities) -> int:
    with CaptureQueriesContext(connection) as captured:
        health_trend(Community.objects.filter(pk__in=[c.pk for c in communities]))
    return len(captured)


def test_trend_gives_averages_per_moment_only_from_three_answers(world):
    communities = _plgs_with_answers(world, 1)
    trend = health_trend(communities + [world.other_community])
    assert trend[communities[0].pk] == [3.0, None, None]
    assert trend[world.other_community.pk] == [None, None, None]
    assert health_averages(communities)[communities[0].pk][1] == {n: 3.0 for n in range(1, 8)}


def test_trend_queries_do_not_grow_with_plgs(world):
    two = _plgs_with_answers(world, 2)
    six = _plgs_with_answers(world, 6)
    assert _trend_queries(two) == _trend_queries(six) == 1


def test_radar_has_no_style_attributes_and_escapes_labels():
    svg = str(
        radar(
            title="<b>title</b>",
            axes=["<script>", "b", "c"],
            series=[RadarSeries("now", [1, 2, 3]), RadarSeries("before", [2, None, 5])],
        )
    )
    assert "style=" not in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<polygon") == 5 + 2  # five rings, two series
    assert 'stroke-dasharray="6 4"' in svg
    assert re.search(r"<title[^>]*>&lt;b&gt;title&lt;/b&gt;</title>", svg)
