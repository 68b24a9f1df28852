"""The calendar subscription page (calendar/) and the services behind its buttons."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import CalendarFeed
from meetings.services import year_plan_create
from meetings.services.calendar import (
    calendar_feed_create,
    calendar_feed_regenerate,
    calendar_feed_revoke,
)
from tests.factories import CommunityFactory, MembershipFactory
from tests.personas import SIGNED_IN

PAGE = "/calendar/"
CREATE = "/calendar/create/"
REGENERATE = "/calendar/regenerate/"
REVOKE = "/calendar/revoke/"


def _token(user) -> str | None:
    feed = CalendarFeed.objects.filter(user=user).first()
    return feed.token if feed else None


# Services


def test_creating_a_feed_gives_a_long_random_token(participant) -> None:
    feed = calendar_feed_create(user=participant)

    assert len(feed.token) == 43
    assert feed.user == participant


def test_creating_a_feed_twice_keeps_the_first_token(participant) -> None:
    first = calendar_feed_create(user=participant)

    second = calendar_feed_create(user=participant)

    assert second.token == first.token
    assert CalendarFeed.objects.filter(user=participant).count() == 1


def test_every_user_gets_their_own_token(participant, teacher_leader) -> None:
    assert (
        calendar_feed_create(user=participant).token
        != calendar_feed_create(user=teacher_leader).token
    )


def test_regenerating_a_feed_replaces_its_token(participant) -> None:
    old = calendar_feed_create(user=participant).token

    new = calendar_feed_regenerate(user=participant)

    assert new.token != old
    assert not CalendarFeed.objects.filter(token=old).exists()
    assert CalendarFeed.objects.filter(user=participant).count() == 1


def test_regenerating_without_a_feed_makes_one(participant) -> None:
    feed = calendar_feed_regenerate(user=participant)

    assert _token(participant) == feed.token


def test_revoking_a_feed_removes_it(participant) -> None:
    calendar_feed_create(user=participant)

    assert calendar_feed_revoke(user=participant) is True
    assert _token(participant) is None


def test_revoking_without_a_feed_says_there_was_none(participant) -> None:
    assert calendar_feed_revoke(user=participant) is False


def test_revoking_leaves_other_users_feeds_alone(participant, teacher_leader) -> None:
    calendar_feed_create(user=participant)
    theirs = calendar_feed_create(user=teacher_leader).token

    calendar_feed_revoke(user=participant)

    assert _token(teacher_leader) == theirs


# The page


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_every_signed_in_user_has_a_subscription_page(client_as, world, persona) -> None:
    assert client_as(persona).get(PAGE).status_code == 200


def test_anonymous_visitor_of_the_subscription_page_is_sent_to_sign_in(client, world) -> None:
    response = client.get(PAGE)

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("url", [CREATE, REGENERATE, REVOKE])
def test_anonymous_posts_are_sent_to_sign_in_and_change_nothing(client, world, url) -> None:
    response = client.post(url, {"regenerate-confirm": "on", "revoke-confirm": "on"})

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not CalendarFeed.objects.exists()


def test_subscription_page_url_name_is_stable() -> None:
    assert reverse("meetings:calendar_subscription") == PAGE


def test_opening_the_page_does_not_make_an_address(client_as, participant) -> None:
    page = client_as("participant").get(PAGE).content.decode()

    assert _token(participant) is None
    assert CREATE in page


@pytest.mark.parametrize("url", [CREATE, REGENERATE, REVOKE])
def test_buttons_do_not_work_by_get(client_as, participant, url) -> None:
    assert client_as("participant").get(url).status_code == 405
    assert _token(participant) is None


def test_making_an_address_shows_it_in_full(client_as, participant) -> None:
    client = client_as("participant")

    response = client.post(CREATE, follow=True)

    token = _token(participant)
    page = response.content.decode()
    assert token is not None
    assert f"http://testserver/calendar/{token}.ics" in page
    assert f"webcal://testserver/calendar/{token}.ics" in page


def test_making_an_address_twice_keeps_it(client_as, participant) -> None:
    client = client_as("participant")
    client.post(CREATE)
    first = _token(participant)

    client.post(CREATE)

    assert _token(participant) == first


def test_page_explains_outlook_google_and_apple(client_as, participant) -> None:
    calendar_feed_create(user=participant)

    page = client_as("participant").get(PAGE).content.decode()

    assert "Outlook" in page
    assert "Google" in page
    assert "Apple" in page


def test_page_shows_only_my_own_address(client_as, participant, teacher_leader) -> None:
    theirs = calendar_feed_create(user=teacher_leader).token

    page = client_as("participant").get(PAGE).content.decode()

    assert theirs not in page


def test_page_keeps_the_address_out_of_caches_and_referrers(client_as, participant) -> None:
    calendar_feed_create(user=participant)

    response = client_as("participant").get(PAGE)

    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"


def test_page_tells_team_leaders_about_their_teams_meetings(client_as, team_leader) -> None:
    page = client_as("team_leader").get(PAGE).content.decode()

    assert "teams die je leidt" in page


def test_page_counts_the_meetings_in_the_subscription(client_as, meetings) -> None:
    page = client_as("participant").get(PAGE).content.decode()

    assert "6 themabijeenkomsten" in page


def test_regenerating_needs_the_confirmation(client_as, participant) -> None:
    old = calendar_feed_create(user=participant).token

    response = client_as("participant").post(REGENERATE, {})

    assert response.status_code == 200
    assert response.context["regenerate_form"].errors["confirm"]
    assert "Vink het vakje aan" in response.content.decode()
    assert _token(participant) == old


def test_regenerating_with_confirmation_replaces_the_address(client_as, participant) -> None:
    old = calendar_feed_create(user=participant).token

    response = client_as("participant").post(REGENERATE, {"regenerate-confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == PAGE
    assert _token(participant) not in (None, old)


def test_revoking_needs_the_confirmation(client_as, participant) -> None:
    old = calendar_feed_create(user=participant).token

    response = client_as("participant").post(REVOKE, {"regenerate-confirm": "on"})

    assert response.status_code == 200
    assert response.context["revoke_form"].errors["confirm"]
    assert _token(participant) == old


def test_revoking_with_confirmation_switches_the_address_off(client_as, participant) -> None:
    calendar_feed_create(user=participant)

    response = client_as("participant").post(REVOKE, {"revoke-confirm": "on"}, follow=True)

    assert _token(participant) is None
    assert CREATE in response.content.decode()


def test_revoking_without_an_address_is_harmless(client_as, participant) -> None:
    response = client_as("participant").post(REVOKE, {"revoke-confirm": "on"})

    assert response.status_code == 302
    assert _token(participant) is None


def test_page_query_count_does_not_grow_with_meetings(
    client_as, world, meetings, participant, teacher_leader
) -> None:
    calendar_feed_create(user=participant)
    client = client_as("participant")
    with CaptureQueriesContext(connection) as few:
        client.get(PAGE)
    for number in range(3):
        community = CommunityFactory(
            team=world.team, school_year=world.school_year, name=f"Extra {number}"
        )
        MembershipFactory(community=community, user=participant)
        year_plan_create(
            community=community, actor=teacher_leader, weekday=2, start_time=dt.time(15, 0)
        )

    with CaptureQueriesContext(connection) as many:
        response = client.get(PAGE)

    assert "24 themabijeenkomsten" in response.content.decode()
    assert len(many) == len(few)
