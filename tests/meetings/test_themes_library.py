"""The school's theme library pages: only the school's admins, bad input, query budget."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Theme
from meetings.services import theme_library_ensure
from meetings.services import themes as services
from tests.personas import SIGNED_IN

NOT_ADMIN = [persona for persona in SIGNED_IN if persona != "school_admin"]


def _library_url(school) -> str:
    return reverse("meetings:theme_library", kwargs={"pk": school.pk})


def _theme_urls(school, theme) -> dict[str, str]:
    kwargs = {"pk": school.pk, "theme_pk": theme.pk}
    return {
        name: reverse(f"meetings:{name}", kwargs=kwargs)
        for name in ("theme_edit", "theme_remove", "theme_restore")
    }


@pytest.fixture
def library(world):
    theme_library_ensure(school=world.school)
    return Theme.objects.filter(school=world.school)


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_theme_library_is_shown_only_to_the_school_admin(client_as, world, library, persona):
    response = client_as(persona).get(_library_url(world.school))

    assert response.status_code == (200 if persona == "school_admin" else 404)


def test_theme_library_lists_the_starting_themes(client_as, world, library) -> None:
    page = client_as("school_admin").get(_library_url(world.school)).content.decode()

    for title in ("Startende docenten", "Pesten", "Autisme"):
        assert title in page


def test_admin_of_another_school_does_not_see_this_library(client_as, world, library) -> None:
    response = client_as("other_school_user").get(_library_url(world.school))

    assert response.status_code == 404


def test_anonymous_visitor_of_the_library_is_sent_to_sign_in(client, world, library) -> None:
    response = client.get(_library_url(world.school))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_school_page_links_to_the_theme_library(client_as, world) -> None:
    page = client_as("school_admin").get(
        reverse("communities:school", kwargs={"pk": world.school.pk})
    )

    assert _library_url(world.school) in page.content.decode()


def test_school_admin_adds_a_theme(client_as, world, library) -> None:
    response = client_as("school_admin").post(
        _library_url(world.school), {"title": "Formatief handelen", "description": "Feedback"}
    )

    assert response.status_code == 302
    theme = Theme.objects.get(school=world.school, title="Formatief handelen")
    assert theme.in_library


def test_duplicate_title_is_shown_on_the_form_and_keeps_the_input(client_as, world, library):
    response = client_as("school_admin").post(
        _library_url(world.school), {"title": "pesten", "description": "Mijn tekst"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    assert "Mijn tekst" in response.content.decode()
    assert Theme.objects.filter(school=world.school, title__iexact="pesten").count() == 1


def test_empty_title_is_refused_with_a_message(client_as, world, library) -> None:
    response = client_as("school_admin").post(_library_url(world.school), {"title": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["title"]


def test_overlong_title_is_refused_with_a_message(client_as, world, library) -> None:
    response = client_as("school_admin").post(_library_url(world.school), {"title": "x" * 201})

    assert response.status_code == 200
    assert response.context["form"].errors["title"]


@pytest.mark.parametrize("persona", NOT_ADMIN)
def test_only_the_school_admin_adds_themes(client_as, world, library, persona) -> None:
    response = client_as(persona).post(_library_url(world.school), {"title": "Nieuw"})

    assert response.status_code == 404
    assert not Theme.objects.filter(title="Nieuw").exists()


def test_school_admin_renames_and_describes_a_theme(client_as, world, library) -> None:
    theme = library.get(title="Pesten")

    response = client_as("school_admin").post(
        _theme_urls(world.school, theme)["theme_edit"],
        {"title": "Pesten en plagen", "description": "Ook online"},
    )

    assert response.status_code == 302
    theme.refresh_from_db()
    assert (theme.title, theme.description) == ("Pesten en plagen", "Ook online")


def test_renaming_to_an_existing_title_shows_an_error(client_as, world, library) -> None:
    theme = library.get(title="Pesten")

    response = client_as("school_admin").post(
        _theme_urls(world.school, theme)["theme_edit"], {"title": "Autisme"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    theme.refresh_from_db()
    assert theme.title == "Pesten"


def test_school_admin_takes_a_theme_out_of_the_library(client_as, world, library) -> None:
    theme = library.get(title="Pesten")

    response = client_as("school_admin").post(_theme_urls(world.school, theme)["theme_remove"])

    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.in_library is False


def test_school_admin_puts_a_theme_back(client_as, world, library) -> None:
    theme = library.get(title="Pesten")
    services.theme_library_remove(theme=theme)

    client_as("school_admin").post(_theme_urls(world.school, theme)["theme_restore"])

    theme.refresh_from_db()
    assert theme.in_library is True


def test_removing_a_theme_is_post_only(client_as, world, library) -> None:
    theme = library.get(title="Pesten")

    response = client_as("school_admin").get(_theme_urls(world.school, theme)["theme_remove"])

    assert response.status_code == 405
    theme.refresh_from_db()
    assert theme.in_library is True


@pytest.mark.parametrize("action", ["theme_edit", "theme_remove", "theme_restore"])
@pytest.mark.parametrize("persona", ["teacher_leader", "team_leader", "other_school_user"])
def test_theme_actions_are_not_found_for_others(client_as, world, library, action, persona):
    theme = library.get(title="Pesten")

    response = client_as(persona).post(_theme_urls(world.school, theme)[action], {"title": "X"})

    assert response.status_code == 404
    theme.refresh_from_db()
    assert (theme.title, theme.in_library) == ("Pesten", True)


def test_a_theme_of_another_school_is_not_found_through_this_school(
    client_as, world, library, school_admin
) -> None:
    theme_library_ensure(school=world.other_school)
    theirs = Theme.objects.filter(school=world.other_school).first()

    response = client_as("school_admin").post(_theme_urls(world.school, theirs)["theme_remove"])

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.in_library is True


def test_empty_library_offers_the_starting_themes(client_as, world) -> None:
    start = reverse("meetings:theme_library_start", kwargs={"pk": world.school.pk})
    page = client_as("school_admin").get(_library_url(world.school)).content.decode()
    assert start in page

    client_as("school_admin").post(start)

    assert Theme.objects.filter(school=world.school, in_library=True).count() == 7


def test_showing_an_empty_library_saves_nothing(client_as, world) -> None:
    client_as("school_admin").get(_library_url(world.school))

    assert not Theme.objects.filter(school=world.school).exists()


def test_theme_library_query_count_does_not_grow_with_themes(client_as, world, library) -> None:
    client = client_as("school_admin")
    with CaptureQueriesContext(connection) as few:
        client.get(_library_url(world.school))
    for n in range(10):
        theme = services.theme_create(school=world.school, title=f"Thema {n}")
        if n % 2:
            services.theme_library_remove(theme=theme)

    with CaptureQueriesContext(connection) as many:
        client.get(_library_url(world.school))

    assert len(many) == len(few)
    assert len(few) <= 8
