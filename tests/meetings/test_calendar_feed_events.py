"""The subscription's plain-SQL reads stand for the ORM's: the same meetings in the same order,
with the same PLG, theme and last change, and the same VTIMEZONE."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from meetings.models import Theme
from meetings.selectors.calendar import (
    _calendar,
    calendar_feed_events,
    calendar_feed_for_token,
    calendar_feed_meetings,
)
from meetings.services import meeting_move, year_plan_create
from meetings.services.calendar import calendar_feed_create
from tests.factories import MembershipFactory
from tests.meetings.conftest import AMSTERDAM

pytestmark = pytest.mark.django_db


def _fields(meeting) -> list[object]:
    return [getattr(meeting, field.attname) for field in meeting._meta.concrete_fields]


def _same(user) -> list:
    orm = list(calendar_feed_meetings(user))
    with CaptureQueriesContext(connection) as queries:
        ours = calendar_feed_events(user)
    assert len(queries) == 1
    assert [m.pk for m in ours] == [m.pk for m in orm]
    for mine, theirs in zip(ours, orm, strict=True):
        assert _fields(mine) == _fields(theirs)
        assert _fields(mine.community) == _fields(theirs.community)
        assert (mine.theme and _fields(mine.theme)) == (theirs.theme and _fields(theirs.theme))
        assert mine.last_changed == theirs.last_changed
    return ours


@pytest.fixture
def mixed(world, meetings, teacher_leader, other_plg_member):
    """Two PLGs' years; one meeting with another theme, one without, one moved twice, the rest
    never changed."""
    theirs = year_plan_create(
        community=world.other_community,
        actor=other_plg_member,
        weekday=3,
        start_time=dt.time(14, 0),
        location="C2",
    )
    meetings[2].theme = Theme.objects.get(school=world.school, title="Pesten")
    meetings[2].save(update_fields=["theme"])
    meetings[4].theme = None
    meetings[4].save(update_fields=["theme"])
    for day in (8, 9):
        meeting_move(
            meeting=meetings[3],
            actor=teacher_leader,
            starts_at=dt.datetime(2027, 2, day, 14, 0, tzinfo=AMSTERDAM),
            confirmed=True,
        )
    return meetings, theirs


def test_a_member_gets_the_orms_meetings_with_plg_theme_and_last_change(mixed, participant) -> None:
    ours = _same(participant)

    assert len(ours) == 6
    assert ours[2].theme.title == "Pesten"
    assert ours[4].theme is None
    assert ours[3].last_changed is not None
    assert ours[3].last_changed.tzinfo is not None  # an aware datetime, also on SQLite


def test_a_team_leader_gets_only_the_meetings_they_are_expected_at(mixed, team_leader) -> None:
    ours = _same(team_leader)

    assert ours and all(meeting.team_leader_expected for meeting in ours)
    # Meetings 1 and 6 of both PLGs of the team they lead.
    assert len(ours) == 4


def test_a_member_of_one_plg_who_leads_the_team_gets_both(world, mixed, team_leader) -> None:
    MembershipFactory(community=world.community, user=team_leader)

    assert len(_same(team_leader)) == 6 + 2


def test_someone_in_neither_gets_nothing(mixed, school_admin) -> None:
    assert _same(school_admin) == []


def test_the_token_lookup_finds_active_owners_only(meetings, participant) -> None:
    feed = calendar_feed_create(user=participant)

    found = calendar_feed_for_token(feed.token)
    assert found == feed
    assert found.user == participant
    assert calendar_feed_for_token("x" * 43) is None

    participant.is_active = False
    participant.save(update_fields=["is_active"])
    assert calendar_feed_for_token(feed.token) is None


def test_the_kept_vtimezone_is_the_one_icalendar_would_add(meetings) -> None:
    ours = Calendar.from_ical(_calendar(meetings, name=None))
    again = Calendar.from_ical(_calendar(meetings, name=None))

    theirs = Calendar()
    for event in ours.walk("VEVENT"):
        theirs.add_component(event)
    years = [meeting.starts_at.astimezone(AMSTERDAM).year for meeting in meetings]
    theirs.add_missing_timezones(
        first_date=dt.date(min(years) - 1, 1, 1), last_date=dt.date(max(years) + 2, 1, 1)
    )

    [zone] = ours.walk("VTIMEZONE")
    assert str(zone["TZID"]) == settings.TIME_ZONE
    assert zone.to_ical() == theirs.walk("VTIMEZONE")[0].to_ical()
    assert again.walk("VTIMEZONE")[0].to_ical() == zone.to_ical()
    assert ours.get_missing_tzids() == set()
