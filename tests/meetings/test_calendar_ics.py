"""Downloading one meeting as an .ics file (meeting/<pk>/ics), and the meeting page's link to it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from meetings.services import year_plan_create
from tests.meetings.conftest import AMSTERDAM
from tests.personas import SEES_PLG as SEES
from tests.personas import SIGNED_IN


def _ics_url(meeting) -> str:
    return reverse("meetings:meeting_ics", kwargs={"pk": meeting.pk})


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_ics_is_served_only_to_who_sees_the_plg(client_as, meetings, persona) -> None:
    response = client_as(persona).get(_ics_url(meetings[2]))

    assert response.status_code == (200 if persona in SEES else 404)


@pytest.mark.parametrize("persona", ["other_plg_member", "other_school_user"])
def test_ics_of_another_plg_is_not_found_for_outsiders(client_as, meetings, persona) -> None:
    assert client_as(persona).get(_ics_url(meetings[0])).status_code == 404


def test_ics_of_another_school_is_not_found_for_a_teacher_leader(
    client_as, world, meetings, other_school_user
) -> None:
    theirs = year_plan_create(
        community=world.other_school_community,
        actor=other_school_user,
        weekday=2,
        start_time=dt.time(15, 0),
    )

    assert client_as("teacher_leader").get(_ics_url(theirs[0])).status_code == 404


def test_ics_of_a_meeting_that_does_not_exist_is_not_found(client_as, meetings) -> None:
    assert client_as("participant").get("/meeting/999999/ics").status_code == 404


def test_anonymous_ics_download_is_sent_to_sign_in(client, meetings) -> None:
    response = client.get(_ics_url(meetings[0]))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_ics_is_an_attachment_with_a_readable_file_name(client_as, meetings) -> None:
    response = client_as("participant").get(_ics_url(meetings[2]))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="themabijeenkomst-3-feedback.ics"'
    )


def test_ics_file_name_follows_the_users_language(client_as, meetings, participant) -> None:
    participant.language = "en"
    participant.save(update_fields=["language"])

    response = client_as("participant").get(_ics_url(meetings[2]))

    assert response["Content-Disposition"] == 'attachment; filename="theme-meeting-3-feedback.ics"'


def test_ics_holds_the_one_meeting_with_the_feeds_uid_and_a_timezone(client_as, meetings) -> None:
    calendar = Calendar.from_ical(client_as("participant").get(_ics_url(meetings[2])).content)

    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{meetings[2].pk}@testserver"
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert event.decoded("DTSTART") == meetings[2].starts_at.astimezone(AMSTERDAM)
    assert str(event["LOCATION"]) == "B1.04"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]


def test_ics_download_changes_nothing_on_post(client_as, meetings) -> None:
    assert client_as("participant").post(_ics_url(meetings[2])).status_code == 405


def test_ics_download_is_not_kept_in_shared_caches(client_as, meetings) -> None:
    response = client_as("participant").get(_ics_url(meetings[2]))

    assert "private" in response["Cache-Control"]


def test_meeting_page_links_to_the_ics_and_the_subscription_page(client_as, meetings) -> None:
    page = client_as("participant").get(reverse("meetings:meeting", kwargs={"pk": meetings[2].pk}))

    content = page.content.decode()
    assert _ics_url(meetings[2]) in content
    assert reverse("meetings:calendar_subscription") in content
