"""Sign-in security: failed attempts are logged and limited; two-factor sign-in with an
authenticator app, which a school can require for team leaders and programme leads."""

from __future__ import annotations

import logging

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    generate_totp_secret,
)
from django.core.cache import cache
from django.utils import translation

from communities.services import school_update
from plg_platform.settings.base import shared_cache
from tests.factories import PASSWORD
from tests.helpers import totp_code

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ACTIVATE = "/accounts/2fa/totp/activate/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth counts failed attempts in the cache; every test starts with none.
    cache.clear()
    yield
    cache.clear()


def _sign_in(client, user, password: str = PASSWORD):
    return client.post(LOGIN, {"login": user.email, "password": password})


def test_failed_sign_in_is_logged_without_the_password(client, participant, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="plg_platform.security"):
        _sign_in(client, participant, password="wrong-guess-1234")

    assert "Failed sign-in for participant@lyceum.example" in caplog.text
    assert "wrong-guess-1234" not in caplog.text


def test_sign_in_goes_on_while_the_shared_cache_is_unreachable(
    client, participant, settings, caplog
) -> None:
    # Production keeps the limits in Redis; with Redis away, signing in must still work.
    settings.CACHES = {"default": shared_cache("redis://127.0.0.1:1/0")}

    refused = _sign_in(client, participant, password="wrong-guess-1234")
    signed_in = _sign_in(client, participant)

    assert refused.status_code == 200
    assert signed_in.status_code == 302
    assert client.get("/").wsgi_request.user == participant
    assert "Redis cache unreachable" in caplog.text


def test_sign_in_is_refused_after_five_failed_attempts_even_with_the_right_password(
    client, participant
) -> None:
    for _ in range(5):
        _sign_in(client, participant, password="wrong-guess-1234")

    with translation.override("en"):
        response = _sign_in(client, participant)

    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_a_person_with_an_authenticator_is_asked_for_a_code_after_the_password(
    client, participant
) -> None:
    secret = generate_totp_secret()
    Authenticator.objects.create(
        user=participant, type=Authenticator.Type.TOTP, data={"secret": secret}
    )

    response = _sign_in(client, participant)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session

    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(participant.pk)


def test_school_requiring_two_factor_sends_a_team_leader_to_set_it_up(
    client, world, team_leader
) -> None:
    school_update(school=world.school, name=world.school.name, require_two_factor=True)

    _sign_in(client, team_leader)
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == ACTIVATE


def test_school_requiring_two_factor_sends_a_programme_lead_to_set_it_up(
    client, world, school_admin
) -> None:
    school_update(school=world.school, name=world.school.name, require_two_factor=True)

    _sign_in(client, school_admin)

    assert client.get("/").status_code == 302


def test_school_requiring_two_factor_leaves_participants_alone(client, world, participant) -> None:
    school_update(school=world.school, name=world.school.name, require_two_factor=True)

    _sign_in(client, participant)

    assert client.get("/").status_code == 200


def test_team_leader_of_a_school_that_does_not_require_it_is_not_sent(
    client, world, team_leader
) -> None:
    _sign_in(client, team_leader)

    assert client.get("/").status_code == 200


def test_setting_up_the_authenticator_lets_the_team_leader_in(
    client, world, team_leader, django_capture_on_commit_callbacks
) -> None:
    school_update(school=world.school, name=world.school.name, require_two_factor=True)
    _sign_in(client, team_leader)
    # allauth asks for the password once more before an authenticator is added.
    assert client.get(ACTIVATE)["Location"].startswith("/accounts/reauthenticate/")
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert client.get(ACTIVATE).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ACTIVATE, {"code": totp_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=team_leader, type=Authenticator.Type.TOTP).exists()
    assert client.get("/").status_code == 200


def test_programme_lead_can_require_two_factor_from_the_school_form(
    client_as, world, school_admin
) -> None:
    client = client_as("school_admin")

    response = client.post(
        f"/school/{world.school.pk}/edit/", {"name": "Het Lyceum", "require_two_factor": "on"}
    )

    assert response.status_code == 302
    world.school.refresh_from_db()
    assert world.school.require_two_factor is True


def test_account_page_links_to_two_factor_set_up(client_as, participant) -> None:
    response = client_as("participant").get("/account/settings/")

    assert b'href="/accounts/2fa/"' in response.content
