"""The audit log page: programme leads only, newest first, filters, bad input, query budget."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from communities.audit import PER_PAGE
from communities.models import AuditAction, AuditEvent
from tests.helpers import assert_login_redirect, count_queries
from tests.personas import SIGNED_IN

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _url(school, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("communities:audit_log", args=[school.pk]) + (f"?{query}" if query else "")


def _event(school, label: str, action: str, day: dt.date, subject: str = "") -> AuditEvent:
    return AuditEvent.objects.create(
        school=school,
        actor_label=label,
        action=action,
        subject=subject,
        at=dt.datetime.combine(day, dt.time(12), tzinfo=AMSTERDAM),
    )


def _shown(response) -> list[str]:
    return [event.subject for event in response.context["page_obj"].object_list]


@pytest.fixture
def log(world):
    """Three events of the school and one of another school."""
    _event(
        world.school,
        "Tessa Teamleider",
        AuditAction.PACKET_DOWNLOADED,
        dt.date(2026, 9, 1),
        "first",
    )
    _event(
        world.school,
        "Paul Programmalead",
        AuditAction.MEMBERSHIP_CHANGED,
        dt.date(2026, 10, 1),
        "second",
    )
    _event(
        world.school, "Pia Participant", AuditAction.DATA_EXPORTED, dt.date(2026, 11, 1), "third"
    )
    _event(world.other_school, "Olga Otherschool", AuditAction.DATA_EXPORTED,
           dt.date(2026, 11, 1), "elsewhere")  # fmt: skip


# Roles ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_the_schools_programme_leads_open_the_log(client_as, world, persona):
    response = client_as(persona).get(_url(world.school))

    assert response.status_code == (200 if persona == "school_admin" else 404)


def test_another_schools_programme_lead_gets_404(client_as, world, other_school_user):
    assert client_as("other_school_user").get(_url(world.school)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    assert_login_redirect(client.get(_url(world.school)))


def test_the_school_page_links_to_the_log(client_as, world, school_admin):
    response = client_as("school_admin").get(reverse("communities:school", args=[world.school.pk]))

    assert _url(world.school) in response.content.decode()


def test_the_log_refuses_post(client_as, world, school_admin):
    assert client_as("school_admin").post(_url(world.school)).status_code == 405


# Content ----------------------------------------------------------------------------------------


def test_the_log_shows_the_schools_events_newest_first(client_as, world, school_admin, log):
    response = client_as("school_admin").get(_url(world.school))

    assert _shown(response) == ["third", "second", "first"]
    page = response.content.decode()
    assert "Paul Programmalead" in page
    assert "Olga Otherschool" not in page


def test_an_event_without_actor_says_the_platform_did_it(client_as, world, school_admin):
    _event(world.school, "", AuditAction.RETENTION_DELETED, dt.date(2026, 9, 1))
    response = client_as("school_admin").get(_url(world.school))
    with translation.override("nl"):  # the programme lead's language
        expected = translation.gettext("the platform")

    assert expected in response.content.decode()


def test_the_log_is_paginated_and_keeps_the_filter(client_as, world, school_admin):
    for index in range(PER_PAGE + 3):
        _event(world.school, "Pia Participant", AuditAction.DATA_EXPORTED, dt.date(2026, 9, 1),
               f"event {index}")  # fmt: skip

    client = client_as("school_admin")
    first = client.get(_url(world.school, person="Pia"))
    second = client.get(_url(world.school, person="Pia", page=2))

    assert len(_shown(first)) == PER_PAGE
    assert len(_shown(second)) == 3
    assert "person=Pia" in first.content.decode().split("pagination")[1]


# Filters ----------------------------------------------------------------------------------------


def test_filter_by_action(client_as, world, school_admin, log):
    response = client_as("school_admin").get(
        _url(world.school, action=AuditAction.MEMBERSHIP_CHANGED)
    )

    assert _shown(response) == ["second"]


def test_filter_by_date_range_includes_both_days(client_as, world, school_admin, log):
    response = client_as("school_admin").get(
        _url(world.school, starts_on="2026-09-01", ends_on="2026-10-01")
    )

    assert _shown(response) == ["second", "first"]


def test_filter_by_person_matches_part_of_the_name_in_any_case(client_as, world, school_admin, log):
    response = client_as("school_admin").get(_url(world.school, person="teamLEIDER"))

    assert _shown(response) == ["first"]


# Bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"action": "made_coffee"},
        {"starts_on": "2026-13-45"},
        {"ends_on": "yesterday"},
        {"starts_on": "99999-01-01"},
        {"person": "x" * 500},
        {"person": "%00"},
        {"page": "abc"},
        {"page": "-1"},
        {"page": "999999999999999999999"},
    ],
)
def test_bad_filter_input_is_shown_not_a_500(client_as, world, school_admin, log, params):
    response = client_as("school_admin").get(_url(world.school, **params))

    assert response.status_code == 200
    assert response.context["page_obj"].object_list


def test_a_bad_field_is_reported_and_the_good_ones_still_apply(client_as, world, school_admin, log):
    with translation.override("en"):
        response = client_as("school_admin").get(
            _url(world.school, action=AuditAction.DATA_EXPORTED, starts_on="not-a-date")
        )

    assert response.context["form"].errors["starts_on"]
    assert _shown(response) == ["third"]


def test_an_end_before_the_start_is_refused_with_a_message(client_as, world, school_admin, log):
    with translation.override("en"):
        response = client_as("school_admin").get(
            _url(world.school, starts_on="2026-11-01", ends_on="2026-09-01")
        )
        message = translation.gettext("The end date must not be before the start date.")

    assert response.context["form"].errors["ends_on"] == [message]
    assert _shown(response) == ["third"]


# Query budget -----------------------------------------------------------------------------------


def test_the_query_count_does_not_grow_with_the_log(client_as, world, school_admin):
    client = client_as("school_admin")
    _event(world.school, "Pia Participant", AuditAction.DATA_EXPORTED, dt.date(2026, 9, 1))
    small = count_queries(client, _url(world.school))
    for _index in range(PER_PAGE * 2):
        _event(world.school, "Paul Programmalead", AuditAction.MEMBERSHIP_CHANGED,
               dt.date(2026, 9, 2))  # fmt: skip

    assert count_queries(client, _url(world.school)) == small
    assert count_queries(client, _url(world.school, person="Paul", page=2)) == small
