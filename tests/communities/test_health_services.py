"""Health-check writes: moments from meeting dates, anonymous answers once per open moment,
adjustable dates and agreed actions."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from communities.health_services import (
    health_action_create,
    health_action_follow_up,
    health_answer_submit,
    health_moments_ensure,
    health_moments_set_dates,
)
from communities.models import (
    HealthAction,
    HealthActionStatus,
    HealthCheckAnswer,
    HealthCheckMoment,
    HealthCheckParticipation,
)
from tests.communities.health_helpers import (
    AMSTERDAM,
    DURING_MOMENT_1,
    MOMENT_DATES,
    create_moments,
    scores,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def during_moment_1():
    with time_machine.travel(DURING_MOMENT_1, tick=False):
        yield


def test_moments_are_created_from_meetings_1_3_and_6(world, meetings):
    moments = health_moments_ensure(community=world.community)
    by_number = {m.number: m for m in meetings}
    assert [m.number for m in moments] == [1, 2, 3]
    for moment, meeting_number in zip(moments, [1, 3, 6], strict=True):
        assert moment.opens_on == timezone.localdate(by_number[meeting_number].starts_at)
        assert moment.closes_on >= moment.opens_on


def test_ensuring_moments_twice_creates_them_once(world, meetings):
    health_moments_ensure(community=world.community)
    health_moments_ensure(community=world.community)
    assert HealthCheckMoment.objects.filter(community=world.community).count() == 3


def test_moments_without_meetings_fall_inside_the_school_year(world):
    moments = health_moments_ensure(community=world.community)
    year = world.school_year
    assert all(year.starts_on <= m.opens_on <= m.closes_on <= year.ends_on for m in moments)
    assert moments[0].closes_on < moments[1].opens_on < moments[2].opens_on


def test_answer_records_participation_and_an_answer_without_author(
    world, participant, during_moment_1
):
    moment = create_moments(world.community)[1]
    health_answer_submit(moment=moment, user=participant, scores=scores(4), comment=" Fine. ")
    assert HealthCheckParticipation.objects.get(moment=moment).user == participant
    answer = HealthCheckAnswer.objects.get(moment=moment)
    assert answer.scores() == scores(4)
    assert answer.comment == "Fine."


def test_answer_rows_hold_no_person_and_no_time():
    fields = {f.name: f for f in HealthCheckAnswer._meta.get_fields()}
    assert not any(
        getattr(f, "related_model", None) is not None
        and f.related_model._meta.label == "users.User"
        for f in fields.values()
    )
    assert not any(f.get_internal_type() in ("DateTimeField", "DateField") for f in fields.values())
    assert fields["id"].get_internal_type() == "UUIDField"


def test_a_member_answers_a_moment_only_once(world, participant, during_moment_1):
    moment = create_moments(world.community)[1]
    health_answer_submit(moment=moment, user=participant, scores=scores(4))
    with pytest.raises(ValidationError):
        health_answer_submit(moment=moment, user=participant, scores=scores(2))
    assert HealthCheckAnswer.objects.filter(moment=moment).count() == 1
    assert HealthCheckParticipation.objects.filter(moment=moment).count() == 1


@pytest.mark.parametrize("day", [dt.date(2026, 8, 31), dt.date(2026, 9, 16)])
def test_answering_outside_the_moment_is_refused(world, participant, day):
    moment = create_moments(world.community)[1]
    with time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 12, tzinfo=AMSTERDAM), tick=False
    ):
        with pytest.raises(ValidationError):
            health_answer_submit(moment=moment, user=participant, scores=scores(3))
    assert not HealthCheckAnswer.objects.exists()
    assert not HealthCheckParticipation.objects.exists()


@pytest.mark.parametrize("persona", ["team_leader", "school_admin", "expert", "other_plg_member"])
def test_only_group_members_answer(world, persona_user, persona, during_moment_1):
    moment = create_moments(world.community)[1]
    with pytest.raises(ValidationError):
        health_answer_submit(moment=moment, user=persona_user(persona), scores=scores(3))
    assert not HealthCheckAnswer.objects.exists()


@pytest.mark.parametrize(
    "bad", [scores(0), scores(6), {**scores(3), 7: "3"}, {1: 3, 2: 3}, {**scores(3), 8: 3}]
)
def test_scores_outside_1_to_5_are_refused(world, participant, bad, during_moment_1):
    moment = create_moments(world.community)[1]
    with pytest.raises(ValidationError):
        health_answer_submit(moment=moment, user=participant, scores=bad)
    assert not HealthCheckParticipation.objects.exists()


def test_teacher_leader_moves_the_dates(world, teacher_leader):
    dates = {1: (dt.date(2026, 9, 7), dt.date(2026, 9, 20)), **{k: MOMENT_DATES[k] for k in (2, 3)}}
    moments = health_moments_set_dates(community=world.community, dates=dates, actor=teacher_leader)
    assert (moments[0].opens_on, moments[0].closes_on) == dates[1]
    assert HealthCheckMoment.objects.filter(community=world.community).count() == 3


@pytest.mark.parametrize(
    ("changed", "field"),
    [
        ({1: (dt.date(2026, 9, 15), dt.date(2026, 9, 1))}, "closes_on_1"),
        ({2: (dt.date(2026, 9, 10), dt.date(2026, 12, 4))}, "opens_on_2"),
        ({3: (dt.date(2027, 8, 1), dt.date(2027, 8, 10))}, "opens_on_3"),
    ],
)
def test_dates_must_follow_each_other_within_the_year(world, teacher_leader, changed, field):
    with pytest.raises(ValidationError) as raised:
        health_moments_set_dates(
            community=world.community, dates={**MOMENT_DATES, **changed}, actor=teacher_leader
        )
    assert field in raised.value.error_dict
    assert not HealthCheckMoment.objects.exists()


def test_a_closing_day_after_the_school_year_is_refused(world, teacher_leader):
    year = world.school_year
    late = year.ends_on + dt.timedelta(days=10)
    dates = {**MOMENT_DATES, 3: (MOMENT_DATES[3][0], late)}
    with pytest.raises(ValidationError) as raised:
        health_moments_set_dates(community=world.community, dates=dates, actor=teacher_leader)
    assert list(raised.value.error_dict) == ["closes_on_3"]
    assert not HealthCheckMoment.objects.exists()


@pytest.mark.parametrize(("language", "start"), [("en", "08/24/2026"), ("nl", "24-8-2026")])
def test_the_school_year_in_the_message_uses_the_languages_short_date(
    world, teacher_leader, language, start
):
    year = world.school_year
    dates = {**MOMENT_DATES, 3: (year.ends_on + dt.timedelta(days=1), year.ends_on)}
    with translation.override(language), pytest.raises(ValidationError) as raised:
        health_moments_set_dates(community=world.community, dates=dates, actor=teacher_leader)
    [message] = raised.value.error_dict["opens_on_3"][0].messages
    assert year.starts_on == dt.date(2026, 8, 24)
    assert f"({start} " in message


def test_action_gets_an_owner_from_the_plg(world, teacher_leader, participant):
    moment = create_moments(world.community)[1]
    action = health_action_create(
        moment=moment,
        characteristic=7,
        role="team_leader",
        text="Ask for time in the task load.",
        owner=participant,
        actor=teacher_leader,
    )
    assert action.owner == participant
    assert action.status == HealthActionStatus.AGREED


@pytest.mark.parametrize("owner", ["team_leader", "other_plg_member", "expert"])
def test_action_owner_must_be_a_group_member(world, teacher_leader, persona_user, owner):
    moment = create_moments(world.community)[1]
    with pytest.raises(ValidationError) as raised:
        health_action_create(
            moment=moment,
            characteristic=1,
            role="participant",
            text="Share your values.",
            owner=persona_user(owner),
            actor=teacher_leader,
        )
    assert "owner" in raised.value.error_dict
    assert not HealthAction.objects.exists()


def test_action_on_a_proposed_moment_saves_the_moments(world, teacher_leader, participant):
    from communities.health_selectors import health_moments

    proposed = health_moments(world.community)[1]
    assert proposed.pk is None
    action = health_action_create(
        moment=proposed,
        characteristic=4,
        role="organiser",
        text="Call the quiet members.",
        owner=participant,
        actor=teacher_leader,
    )
    assert action.moment.number == 2
    assert HealthCheckMoment.objects.filter(community=world.community).count() == 3


def test_follow_up_records_status_and_a_line(world, teacher_leader, participant):
    moment = create_moments(world.community)[1]
    action = health_action_create(
        moment=moment,
        characteristic=4,
        role="participant",
        text="Bring in a case.",
        owner=participant,
        actor=teacher_leader,
    )
    health_action_follow_up(
        action=action, status="done", follow_up=" Two cases brought in. ", actor=teacher_leader
    )
    action.refresh_from_db()
    assert (action.status, action.follow_up) == ("done", "Two cases brought in.")


def test_follow_up_with_an_unknown_status_is_refused(world, teacher_leader, participant):
    moment = create_moments(world.community)[1]
    action = health_action_create(
        moment=moment,
        characteristic=4,
        role="participant",
        text="Bring in a case.",
        owner=participant,
        actor=teacher_leader,
    )
    with pytest.raises(ValidationError):
        health_action_follow_up(action=action, status="maybe", follow_up="", actor=teacher_leader)
