"""The health check's moments follow meetings 1, 3 and 6 when those move, unless a teacher
leader chose their dates or a moment's day has come."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from communities.health_services import health_moments_ensure, health_moments_set_dates
from communities.models import HealthCheckMoment
from meetings.services import meeting_move

pytestmark = pytest.mark.django_db

TWO_WEEKS = dt.timedelta(days=14)


def _dates(world) -> dict[int, tuple[dt.date, dt.date]]:
    return {
        m.number: (m.opens_on, m.closes_on)
        for m in HealthCheckMoment.objects.filter(community=world.community)
    }


def _move(meeting, actor, by: dt.timedelta) -> None:
    meeting_move(meeting=meeting, actor=actor, starts_at=meeting.starts_at + by, confirmed=True)


def test_moving_meeting_3_moves_the_second_moment_with_it(world, meetings, teacher_leader):
    health_moments_ensure(community=world.community)
    before = _dates(world)

    _move(meetings[2], teacher_leader, TWO_WEEKS)

    after = _dates(world)
    assert after[2] == (before[2][0] + TWO_WEEKS, before[2][1] + TWO_WEEKS)
    assert after[2][0] == timezone.localdate(meetings[2].starts_at) + TWO_WEEKS
    assert (after[1], after[3]) == (before[1], before[3])


def test_dates_a_teacher_leader_chose_stay(world, meetings, teacher_leader):
    proposed = {
        m.number: (m.opens_on, m.closes_on)
        for m in health_moments_ensure(community=world.community)
    }
    chosen = (proposed[2][0] + dt.timedelta(days=3), proposed[2][1] + dt.timedelta(days=3))
    health_moments_set_dates(
        community=world.community, dates={**proposed, 2: chosen}, actor=teacher_leader
    )

    _move(meetings[2], teacher_leader, TWO_WEEKS)

    assert _dates(world)[2] == chosen


def test_a_moment_whose_day_has_come_stays(world, meetings, teacher_leader, before_the_year):
    health_moments_ensure(community=world.community)
    before = _dates(world)
    before_the_year.move_to(dt.datetime.combine(before[2][0], dt.time(12), tzinfo=dt.UTC))

    _move(meetings[2], teacher_leader, TWO_WEEKS)

    assert _dates(world) == before


def test_moving_a_meeting_without_a_moment_changes_nothing(world, meetings, teacher_leader):
    health_moments_ensure(community=world.community)
    before = _dates(world)

    _move(meetings[1], teacher_leader, TWO_WEEKS)

    assert _dates(world) == before


def test_moments_that_would_overlap_stay(world, meetings, teacher_leader):
    health_moments_ensure(community=world.community)
    before = _dates(world)
    # Meeting 1 to a day inside the second moment's window.
    by = dt.timedelta(days=(before[2][0] - before[1][0]).days + 1)

    _move(meetings[0], teacher_leader, by)

    assert _dates(world) == before


def test_without_saved_moments_the_proposal_simply_follows(world, meetings, teacher_leader):
    _move(meetings[2], teacher_leader, TWO_WEEKS)

    assert not HealthCheckMoment.objects.exists()
    moments = health_moments_ensure(community=world.community)
    assert moments[1].opens_on == timezone.localdate(meetings[2].starts_at) + TWO_WEEKS
