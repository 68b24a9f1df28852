"""The prompt to answer the health check: on the PLG page and on the meeting page it follows."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from communities.health_selectors import (
    has_answered,
    health_moments,
    moment_state,
    moment_to_answer,
)
from communities.models import Community, HealthCheckMoment, Membership
from meetings.models import Meeting
from meetings.services import year_plan_create
from tests.communities.health_helpers import (
    AMSTERDAM,
    DURING_MOMENT_1,
    DURING_MOMENT_2,
    add_members,
    answer_all,
    create_moments,
    scores,
)
from tests.helpers import count_queries
from tests.personas import SEES_PLG

pytestmark = pytest.mark.django_db

GROUP_MEMBERS = {"participant", "teacher_leader", "development_team"}


def _answer_url(community, number: int = 1) -> str:
    return reverse("communities:health_answer", args=[community.pk, number])


def _plg_page(client, community) -> str:
    return client.get(reverse("communities:detail", args=[community.pk])).content.decode()


@pytest.fixture
def during_moment_1():
    with time_machine.travel(DURING_MOMENT_1, tick=False):
        yield


@pytest.mark.parametrize("persona", sorted(SEES_PLG))
def test_only_group_members_are_asked_to_answer_on_the_plg_page(
    world, client_as, during_moment_1, persona, request
):
    request.getfixturevalue(persona)
    create_moments(world.community)

    html = _plg_page(client_as(persona), world.community)

    assert (_answer_url(world.community) in html) is (persona in GROUP_MEMBERS)


def test_who_answered_is_no_longer_asked(world, client_as, during_moment_1, participant):
    moments = create_moments(world.community)
    answer_all(moments[1], [participant], [scores(4)])

    assert _answer_url(world.community) not in _plg_page(client_as("participant"), world.community)


def test_nobody_is_asked_while_no_moment_is_open(world, client_as, participant):
    create_moments(world.community)
    with time_machine.travel(DURING_MOMENT_1 + dt.timedelta(days=30), tick=False):
        html = _plg_page(client_as("participant"), world.community)

    for number in (1, 2, 3):
        assert _answer_url(world.community, number) not in html


def test_moments_not_saved_yet_follow_the_meeting_dates(
    world, meetings, before_the_year, participant
):
    membership = Membership.objects.get(community=world.community, user=participant)
    before_the_year.move_to(meetings[0].starts_at + dt.timedelta(hours=2))

    moment = moment_to_answer(participant, world.community, membership)

    assert not HealthCheckMoment.objects.exists()
    assert moment is not None
    assert moment.number == 1
    assert moment.opens_on == timezone.localdate(meetings[0].starts_at)


def test_the_prompt_reads_one_query_before_and_after_the_moments_are_saved(
    world, meetings, before_the_year, participant, django_assert_num_queries
):
    membership = Membership.objects.get(community=world.community, user=participant)
    before_the_year.move_to(meetings[0].starts_at + dt.timedelta(hours=2))
    community = Community.objects.select_related("school_year").get(pk=world.community.pk)
    # Not saved yet: the saved moments and the meeting dates to propose them from, together.
    with django_assert_num_queries(1):
        moment_to_answer(participant, community, membership)
    create_moments(world.community)
    with django_assert_num_queries(1):
        moment_to_answer(participant, community, membership)


def _orm_moment_to_answer(user, community, membership, today):
    """The rule in the ORM: the first open moment of `health_moments` the user has not answered."""
    if not (membership and membership.counts_as_group_member):
        return None
    for moment in health_moments(community):
        if not has_answered(user, moment) and moment_state(moment, today) == "open":
            return (moment.number, moment.opens_on, moment.closes_on)
    return None


def _prompted(user, community, membership):
    moment = moment_to_answer(user, community, membership)
    return moment and (moment.number, moment.opens_on, moment.closes_on)


@pytest.mark.parametrize("state", ["nothing planned", "planned", "one answered", "all saved"])
def test_the_prompt_agrees_with_the_orm_rule_for_every_persona_all_year(
    world, teacher_leader, participant, development_team, expert, before_the_year, state
):
    if state != "nothing planned":
        meetings = year_plan_create(
            community=world.community,
            actor=teacher_leader,
            weekday=1,
            start_time=dt.time(15, 30),
        )
        # A meeting the moments follow, moved to half past midnight: its day in Amsterdam is
        # not its day in UTC, and the moment follows the local one.
        local_day = timezone.localdate(meetings[2].starts_at)
        Meeting.objects.filter(pk=meetings[2].pk).update(
            starts_at=dt.datetime.combine(local_day, dt.time(0, 30), tzinfo=AMSTERDAM)
        )
    if state == "one answered":
        before_the_year.move_to(DURING_MOMENT_1)
        moment = health_moments(world.community)[0]
        moment.save()
        answer_all(moment, [participant], [scores(4)])
    if state == "all saved":
        moments = create_moments(world.community)
        before_the_year.move_to(DURING_MOMENT_2)
        answer_all(moments[2], [development_team], [scores(3)])
    community = Community.objects.select_related("school_year").get(pk=world.community.pk)
    people = [teacher_leader, participant, development_team, expert]
    memberships = {m.user_id: m for m in Membership.objects.filter(community=community)}
    day = community.school_year.starts_on - dt.timedelta(days=3)
    asked = 0
    while day <= community.school_year.ends_on + dt.timedelta(days=3):
        before_the_year.move_to(dt.datetime.combine(day, dt.time(12), tzinfo=AMSTERDAM))
        for user in people:
            expected = _orm_moment_to_answer(user, community, memberships[user.pk], day)
            assert _prompted(user, community, memberships[user.pk]) == expected, (user, day)
            asked += expected is not None
        day += dt.timedelta(days=2)
    assert asked


def test_the_plg_page_reads_as_many_queries_with_many_answers(
    world, client_as, during_moment_1, participant
):
    moments = create_moments(world.community)
    client = client_as("participant")
    url = reverse("communities:detail", args=[world.community.pk])
    answer_all(moments[1], add_members(world.community, 3), [scores(3)] * 3)
    few = count_queries(client, url)
    answer_all(moments[1], add_members(world.community, 9), [scores(3)] * 9)

    assert count_queries(client, url) == few


def test_the_first_meetings_page_asks_a_member_to_answer(
    world, meetings, before_the_year, client_as, participant
):
    before_the_year.move_to(meetings[0].ends_at + dt.timedelta(hours=1))
    client = client_as("participant")

    first = client.get(reverse("meetings:meeting", args=[meetings[0].pk])).content.decode()
    second = client.get(reverse("meetings:meeting", args=[meetings[1].pk])).content.decode()

    assert _answer_url(world.community) in first
    assert _answer_url(world.community) not in second


def test_the_meeting_page_does_not_ask_a_team_leader(
    world, meetings, before_the_year, client_as, team_leader
):
    before_the_year.move_to(meetings[0].ends_at + dt.timedelta(hours=1))

    response = client_as("team_leader").get(reverse("meetings:meeting", args=[meetings[0].pk]))

    assert response.status_code == 200
    assert _answer_url(world.community) not in response.content.decode()
