"""The privacy page is open to everyone, linked from every page, and says what the code does."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from communities.models import HEALTH_MIN_ANSWERS, School
from plg_platform.privacy import DEFAULT_RETENTION_YEARS

pytestmark = pytest.mark.django_db

URL = reverse("privacy")


def _english_page(client) -> str:
    client.cookies["django_language"] = "en"
    return client.get(URL).content.decode()


def test_anyone_can_read_the_privacy_page(client) -> None:
    assert client.get(URL).status_code == 200


def test_every_page_links_to_it(client) -> None:
    response = client.get(reverse("account_login"))

    assert f'href="{URL}"' in response.content.decode()


def test_it_states_the_default_retention_the_schools_get(client) -> None:
    with translation.override("en"):
        page = _english_page(client)

    assert School._meta.get_field("retention_years").default == DEFAULT_RETENTION_YEARS
    assert f"deleted automatically {DEFAULT_RETENTION_YEARS} school years after" in page


def test_the_three_people_it_promises_is_the_rule_the_code_applies(client) -> None:
    page = _english_page(client)

    assert HEALTH_MIN_ANSWERS == 3
    assert "fewer than three people are left out" in page
    assert "at least three members have answered" in page


def test_it_says_private_reflections_stay_private(client) -> None:
    page = _english_page(client)

    assert "A reflection is private" in page


def test_it_says_how_long_a_kept_page_is_kept(client, settings) -> None:
    settings.PAGE_CACHE_SECONDS = 45
    page = _english_page(client)
    assert "at most 45 seconds and only for your own signed-in session" in page
    assert f"calendar feed for at most {settings.CALENDAR_FEED_MAX_AGE // 60} minutes" in page

    settings.PAGE_CACHE_SECONDS = 0
    assert "only for your own signed-in session" not in _english_page(client)
