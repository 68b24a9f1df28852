"""The meeting page, moving a meeting in the browser, and the year view."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import ChangeKind, MeetingChange
from meetings.services import year_plan_create
from tests.factories import HolidayFactory, MembershipFactory
from tests.meetings.conftest import AMSTERDAM
from tests.personas import PLANS, SIGNED_IN
from tests.personas import SEES_PLG as SEES

MOVE = {"day": "2026-12-08", "start_time": "14:00", "duration_minutes": "120", "location": "Aula"}


def _meeting_url(meeting) -> str:
    return reverse("meetings:meeting", kwargs={"pk": meeting.pk})


def _move_url(meeting) -> str:
    return reverse("meetings:meeting_move", kwargs={"pk": meeting.pk})


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_meeting_page_is_shown_only_to_who_sees_the_plg(client_as, meetings, persona) -> None:
    response = client_as(persona).get(_meeting_url(meetings[2]))

    assert response.status_code == (200 if persona in SEES else 404)


def test_meeting_page_of_another_school_is_not_found_for_its_neighbours(
    client_as, world, meetings, other_school_user
) -> None:
    theirs = year_plan_create(
        community=world.other_school_community,
        actor=other_school_user,
        weekday=2,
        start_time=dt.time(15, 0),
    )

    response = client_as("teacher_leader").get(_meeting_url(theirs[0]))

    assert response.status_code == 404


def test_anonymous_visitor_of_a_meeting_is_sent_to_sign_in(client, meetings) -> None:
    response = client.get(_meeting_url(meetings[0]))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_meeting_page_shows_date_room_and_theme(client_as, meetings) -> None:
    response = client_as("participant").get(_meeting_url(meetings[0]))

    page = response.content.decode()
    assert "B1.04" in page
    assert "Startende docenten" in page
    assert "15:30" in page


def test_meeting_page_offers_moving_only_to_planners(client_as, meetings) -> None:
    leader_page = client_as("teacher_leader").get(_meeting_url(meetings[2])).content.decode()
    member_page = client_as("participant").get(_meeting_url(meetings[2])).content.decode()

    assert _move_url(meetings[2]) in leader_page
    assert _move_url(meetings[2]) not in member_page


def test_meeting_history_is_shown_to_planners(client_as, meetings) -> None:
    page = client_as("teacher_leader").get(_meeting_url(meetings[2])).content.decode()

    assert "Tom Teacherleader" in page
    assert "Gepland op" in page


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_teacher_leaders_and_school_admins_move_meetings(client_as, meetings, persona) -> None:
    response = client_as(persona).post(_move_url(meetings[2]), MOVE)

    meetings[2].refresh_from_db()
    if persona in PLANS:
        assert response.status_code == 302
        assert meetings[2].location == "Aula"
    else:
        assert response.status_code == 404
        assert meetings[2].location == "B1.04"


@pytest.mark.parametrize("persona", ["participant", "team_leader", "other_plg_member"])
def test_move_form_is_not_found_for_non_planners(client_as, meetings, persona) -> None:
    assert client_as(persona).get(_move_url(meetings[2])).status_code == 404


def test_moving_to_a_holiday_shows_why_and_keeps_the_old_date(client_as, world, meetings) -> None:
    HolidayFactory(
        school_year=world.school_year,
        name="Kerstvakantie",
        first_day=dt.date(2026, 12, 21),
        last_day=dt.date(2027, 1, 1),
    )
    original = meetings[2].starts_at

    response = client_as("teacher_leader").post(
        _move_url(meetings[2]), {**MOVE, "day": "2026-12-22"}
    )

    assert response.status_code == 200
    assert "Kerstvakantie" in response.content.decode()
    assert 'name="confirmed_for"' in response.content.decode()
    meetings[2].refresh_from_db()
    assert meetings[2].starts_at == original


def test_confirming_the_shown_moment_moves_the_meeting(client_as, world, meetings) -> None:
    HolidayFactory(
        school_year=world.school_year,
        name="Kerstvakantie",
        first_day=dt.date(2026, 12, 21),
        last_day=dt.date(2027, 1, 1),
    )
    new_start = dt.datetime(2026, 12, 22, 14, 0, tzinfo=AMSTERDAM)

    response = client_as("teacher_leader").post(
        _move_url(meetings[2]),
        {**MOVE, "day": "2026-12-22", "confirmed_for": new_start.isoformat()},
    )

    assert response.status_code == 302
    meetings[2].refresh_from_db()
    assert meetings[2].starts_at == new_start


def test_a_confirmation_for_another_moment_does_not_count(client_as, world, meetings) -> None:
    HolidayFactory(
        school_year=world.school_year,
        name="Kerstvakantie",
        first_day=dt.date(2026, 12, 21),
        last_day=dt.date(2027, 1, 1),
    )
    shown = dt.datetime(2026, 12, 22, 14, 0, tzinfo=AMSTERDAM)

    response = client_as("teacher_leader").post(
        _move_url(meetings[2]), {**MOVE, "day": "2026-12-23", "confirmed_for": shown.isoformat()}
    )

    assert response.status_code == 200
    assert not MeetingChange.objects.filter(meeting=meetings[2], kind=ChangeKind.MOVED).exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"day": "not a date"},
        {"day": ""},
        {"start_time": "25:99"},
        {"duration_minutes": "-5"},
        {"duration_minutes": "100000"},
        {"location": "x" * 201},
    ],
)
def test_bad_move_input_is_refused_with_a_message(client_as, meetings, bad) -> None:
    response = client_as("teacher_leader").post(_move_url(meetings[2]), {**MOVE, **bad})

    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    meetings[2].refresh_from_db()
    assert meetings[2].location == "B1.04"


def test_year_view_lists_periods_holidays_and_meetings_in_date_order(
    client_as, world, meetings
) -> None:
    HolidayFactory(
        school_year=world.school_year,
        name="Herfstvakantie",
        first_day=dt.date(2026, 10, 19),
        last_day=dt.date(2026, 10, 23),
    )

    page = (
        client_as("participant")
        .get(reverse("meetings:year_plan", kwargs={"pk": world.community.pk}))
        .content.decode()
    )

    order = [page.index(text) for text in ("Periode 1", "Herfstvakantie", "Periode 2")]
    assert order == sorted(order)
    assert page.count('class="year-view-meeting"') == 6


def _year_view_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_year_view_query_count_does_not_grow_with_holidays_and_members(
    client_as, world, meetings
) -> None:
    client = client_as("participant")
    url = reverse("meetings:year_plan", kwargs={"pk": world.community.pk})
    small = _year_view_queries(client, url)
    for week in range(6):
        day = dt.date(2026, 9, 28) + dt.timedelta(weeks=week)
        HolidayFactory(school_year=world.school_year, name=f"Studiedag {week}", first_day=day,
                       last_day=day)  # fmt: skip
    MembershipFactory.create_batch(20, community=world.community)

    assert _year_view_queries(client, url) == small


def test_meeting_page_query_count_does_not_grow_with_members(client_as, world, meetings) -> None:
    client = client_as("teacher_leader")
    url = _meeting_url(meetings[0])
    small = _year_view_queries(client, url)
    MembershipFactory.create_batch(20, community=world.community)

    assert _year_view_queries(client, url) == small


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_moving_to_a_far_off_date_gets_a_message_not_an_error(client_as, meetings, day) -> None:
    response = client_as("teacher_leader").post(_move_url(meetings[2]), {**MOVE, "day": day})

    assert response.status_code == 200
    assert "2026-2027" in response.content.decode()
    meetings[2].refresh_from_db()
    assert meetings[2].location == "B1.04"
