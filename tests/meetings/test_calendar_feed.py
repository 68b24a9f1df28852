"""The personal iCalendar subscription (calendar/<token>.ics) and its events."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from meetings.models import Theme
from meetings.services import meeting_move, year_plan_create
from meetings.services.calendar import (
    calendar_feed_create,
    calendar_feed_regenerate,
    calendar_feed_revoke,
)
from tests.factories import CommunityFactory, MembershipFactory
from tests.meetings.conftest import AMSTERDAM


def _feed_url(feed) -> str:
    return reverse("meetings:calendar_feed", kwargs={"token": feed.token})


def _calendar(response) -> Calendar:
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def _events(response) -> list:
    return _calendar(response).walk("VEVENT")


def _event_of(response, meeting):
    uid = f"meeting-{meeting.pk}@testserver"
    return next(event for event in _events(response) if str(event["UID"]) == uid)


def _plan(community, actor) -> list:
    return year_plan_create(
        community=community, actor=actor, weekday=3, start_time=dt.time(14, 0), location="C2"
    )


@pytest.fixture
def feed(participant):
    return calendar_feed_create(user=participant)


@pytest.fixture
def bullying(world, meetings):
    """Meeting 3 gets the theme "Pesten" (bullying)."""
    theme = Theme.objects.get(school=world.school, title="Pesten")  # from the library
    meetings[2].theme = theme
    meetings[2].save(update_fields=["theme"])
    return meetings[2]


def test_feed_is_served_as_icalendar_without_signing_in(client, meetings, feed) -> None:
    response = client.get(_feed_url(feed))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"


def test_feed_parses_and_holds_one_event_per_meeting(client, meetings, feed) -> None:
    events = _events(client.get(_feed_url(feed)))

    assert len(events) == 6
    assert {str(event["UID"]) for event in events} == {
        f"meeting-{meeting.pk}@testserver" for meeting in meetings
    }


def test_feed_calendar_says_who_made_it_and_that_it_publishes(client, meetings, feed) -> None:
    calendar = _calendar(client.get(_feed_url(feed)))

    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//PLG platform//")
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"])


def test_feed_times_are_amsterdam_times_with_a_timezone_component(client, meetings, feed) -> None:
    calendar = _calendar(client.get(_feed_url(feed)))

    event = calendar.walk("VEVENT")[0]
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert event["DTEND"].params["TZID"] == "Europe/Amsterdam"
    assert event.decoded("DTSTART") == dt.datetime(2026, 9, 1, 15, 30, tzinfo=AMSTERDAM)
    assert event.decoded("DTEND") == dt.datetime(2026, 9, 1, 18, 0, tzinfo=AMSTERDAM)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    assert b"DTSTART;TZID=Europe/Amsterdam:20260901T153000" in calendar.to_ical()


def test_feed_event_has_room_sequence_stamp_and_link(client, meetings, feed) -> None:
    event = _event_of(client.get(_feed_url(feed)), meetings[2])

    meeting_url = "http://testserver" + reverse("meetings:meeting", kwargs={"pk": meetings[2].pk})
    assert str(event["LOCATION"]) == "B1.04"
    assert event.decoded("SEQUENCE") == meetings[2].sequence
    assert event.decoded("DTSTAMP") == dt.datetime(2026, 8, 1, 10, 0, tzinfo=dt.UTC)
    assert str(event["URL"]) == meeting_url
    assert meeting_url in str(event["DESCRIPTION"])


def test_feed_event_names_meeting_theme_and_plg(client, bullying, feed) -> None:
    event = _event_of(client.get(_feed_url(feed)), bullying)

    assert str(event["SUMMARY"]) == "Themabijeenkomst 3: Pesten (Feedback)"
    assert "Pesten" in str(event["DESCRIPTION"])


def test_feed_event_of_a_meeting_without_theme_names_meeting_and_plg(
    client, meetings, feed
) -> None:
    event = _event_of(client.get(_feed_url(feed)), meetings[3])

    assert str(event["SUMMARY"]) == "Themabijeenkomst 4 (Feedback)"


def test_feed_event_of_the_evaluation_meeting_says_so(client, meetings, feed) -> None:
    event = _event_of(client.get(_feed_url(feed)), meetings[5])

    assert str(event["SUMMARY"]) == "Themabijeenkomst 6: Evaluatie van het jaar (Feedback)"


def test_feed_answers_head_requests_of_calendar_apps(client, meetings, feed) -> None:
    assert client.head(_feed_url(feed)).status_code == 200


def test_feed_is_in_the_owners_language_english(client, bullying, feed, participant) -> None:
    participant.language = "en"
    participant.save(update_fields=["language"])

    response = client.get(_feed_url(feed))

    # The theme's title is the school's own text; the words around it follow the language.
    assert str(_event_of(response, bullying)["SUMMARY"]) == "Theme meeting 3: Pesten (Feedback)"
    assert response["Content-Language"] == "en"


def test_feed_is_in_the_owners_language_dutch(client, bullying, feed) -> None:
    response = client.get(_feed_url(feed))

    assert str(_event_of(response, bullying)["SUMMARY"]).startswith("Themabijeenkomst 3:")
    assert response["Content-Language"] == "nl"


def test_feed_language_follows_the_owner_not_the_visitor(
    client, bullying, feed, participant, teacher_leader
) -> None:
    teacher_leader.language = "en"
    teacher_leader.save(update_fields=["language"])
    client.force_login(teacher_leader)

    response = client.get(_feed_url(feed))

    assert str(_event_of(response, bullying)["SUMMARY"]).startswith("Themabijeenkomst 3:")


def test_moving_a_meeting_increases_its_sequence_in_the_feed(
    client, meetings, feed, teacher_leader
) -> None:
    before = _event_of(client.get(_feed_url(feed)), meetings[2]).decoded("SEQUENCE")

    meeting_move(
        meeting=meetings[2],
        actor=teacher_leader,
        starts_at=dt.datetime(2026, 12, 8, 14, 0, tzinfo=AMSTERDAM),
        confirmed=True,
    )

    after = _event_of(client.get(_feed_url(feed)), meetings[2])
    assert after.decoded("SEQUENCE") == before + 1
    assert after.decoded("DTSTART") == dt.datetime(2026, 12, 8, 14, 0, tzinfo=AMSTERDAM)


def test_moving_a_meeting_keeps_its_uid(client, meetings, feed, teacher_leader) -> None:
    uids_before = [str(e["UID"]) for e in _events(client.get(_feed_url(feed)))]

    meeting_move(
        meeting=meetings[2],
        actor=teacher_leader,
        starts_at=dt.datetime(2026, 12, 8, 14, 0, tzinfo=AMSTERDAM),
        location="Aula",
        confirmed=True,
    )

    events = _events(client.get(_feed_url(feed)))
    assert [str(e["UID"]) for e in events] == uids_before
    assert str(_event_of(client.get(_feed_url(feed)), meetings[2])["LOCATION"]) == "Aula"


def test_revoked_feed_is_not_found(client, meetings, feed, participant) -> None:
    calendar_feed_revoke(user=participant)

    assert client.get(_feed_url(feed)).status_code == 404


def test_regenerated_feed_answers_at_the_new_address_only(
    client, meetings, feed, participant
) -> None:
    new = calendar_feed_regenerate(user=participant)

    assert client.get(_feed_url(feed)).status_code == 404
    assert len(_events(client.get(_feed_url(new)))) == 6


@pytest.mark.parametrize(
    "token", ["x" * 43, "A-b_" * 10, "short", "not-a-token!", "../" + "a" * 40]
)
def test_unknown_or_malformed_token_is_not_found(client, meetings, feed, token) -> None:
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_feed_of_a_deactivated_user_is_not_found(client, meetings, feed, participant) -> None:
    participant.is_active = False
    participant.save(update_fields=["is_active"])

    assert client.get(_feed_url(feed)).status_code == 404


def test_feed_is_cached_privately_only(client, meetings, feed) -> None:
    response = client.get(_feed_url(feed))

    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_feed_does_not_accept_posts(client, meetings, feed) -> None:
    assert client.post(_feed_url(feed)).status_code == 405


def test_my_feed_leaves_out_another_plgs_meetings(
    client, world, meetings, feed, other_plg_member
) -> None:
    theirs = _plan(world.other_community, other_plg_member)

    uids = {str(e["UID"]) for e in _events(client.get(_feed_url(feed)))}

    assert not uids & {f"meeting-{meeting.pk}@testserver" for meeting in theirs}


def test_another_members_feed_leaves_out_my_plgs_meetings(
    client, world, meetings, other_plg_member
) -> None:
    theirs = _plan(world.other_community, other_plg_member)
    their_feed = calendar_feed_create(user=other_plg_member)

    uids = {str(e["UID"]) for e in _events(client.get(_feed_url(their_feed)))}

    assert uids == {f"meeting-{meeting.pk}@testserver" for meeting in theirs}


def test_feed_holds_the_meetings_of_every_plg_i_belong_to(
    client, world, meetings, feed, participant, other_plg_member
) -> None:
    MembershipFactory(community=world.other_community, user=participant)
    theirs = _plan(world.other_community, other_plg_member)

    events = _events(client.get(_feed_url(feed)))

    assert len(events) == 12
    assert {f"meeting-{meeting.pk}@testserver" for meeting in theirs} <= {
        str(e["UID"]) for e in events
    }


def test_team_leaders_feed_holds_meetings_one_and_six_of_their_teams_plgs(
    client, meetings, team_leader
) -> None:
    feed = calendar_feed_create(user=team_leader)

    uids = {str(e["UID"]) for e in _events(client.get(_feed_url(feed)))}

    assert uids == {f"meeting-{meetings[0].pk}@testserver", f"meeting-{meetings[5].pk}@testserver"}


def test_external_experts_feed_holds_their_plgs_meetings(client, meetings, expert) -> None:
    feed = calendar_feed_create(user=expert)

    assert len(_events(client.get(_feed_url(feed)))) == 6


def test_school_admin_without_membership_gets_an_empty_feed(client, meetings, school_admin) -> None:
    feed = calendar_feed_create(user=school_admin)

    calendar = _calendar(client.get(_feed_url(feed)))

    assert calendar.walk("VEVENT") == []
    assert calendar.walk("VTIMEZONE") == []


def test_feed_query_count_does_not_grow_with_meetings_and_plgs(
    client, world, meetings, feed, participant, teacher_leader, other_plg_member
) -> None:
    with CaptureQueriesContext(connection) as few:
        client.get(_feed_url(feed))
    for number in range(3):
        community = CommunityFactory(
            team=world.team, school_year=world.school_year, name=f"Extra {number}"
        )
        MembershipFactory(community=community, user=participant)
        _plan(community, teacher_leader)
    _plan(world.other_community, other_plg_member)
    world.team.leaders.add(participant)

    with CaptureQueriesContext(connection) as many:
        response = client.get(_feed_url(feed))

    # Four PLGs of my own, plus meetings 1 and 6 of the other PLG of the team I now lead.
    assert len(_events(response)) == 4 * 6 + 2
    assert len(many) == len(few)
    assert len(few) <= 2
