"""A school's two-factor rule holds for every way of signing in, checked once per sign-in."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from communities import two_factor
from communities.services import school_update
from plg_platform.users.tokens import invitation_url
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ACTIVATE = "/accounts/2fa/totp/activate/"
NEW_PASSWORD = "a-new-and-long-password-42"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth counts sign-in attempts in the cache; every test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def requires_two_factor(world):
    school_update(school=world.school, name=world.school.name, require_two_factor=True)


def test_an_invited_team_leader_is_sent_to_set_up_two_factor(
    client, world, requires_two_factor
) -> None:
    invited = UserFactory(email="newlead@lyceum.example", name="Nina Newlead", password=None)
    world.team.leaders.add(invited)
    link = invitation_url(invited).removeprefix("http://testserver")

    client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = client.get("/")

    assert client.session["_auth_user_id"] == str(invited.pk)
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE


def test_an_invited_participant_is_not_sent(client, world, requires_two_factor) -> None:
    invited = UserFactory(email="newbie@lyceum.example", name="Nico Newbie", password=None)
    link = invitation_url(invited).removeprefix("http://testserver")

    client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert client.session["_auth_user_id"] == str(invited.pk)
    assert client.get("/").status_code == 200


def test_the_rule_is_checked_once_per_sign_in(
    client, world, team_leader, requires_two_factor, monkeypatch
) -> None:
    calls = []
    checked = two_factor.two_factor_required
    monkeypatch.setattr(
        two_factor, "two_factor_required", lambda user: calls.append(user) or checked(user)
    )

    response = client.post("/accounts/login/", {"login": team_leader.email, "password": PASSWORD})

    assert response.status_code == 302
    assert calls == [team_leader]
    assert client.get("/")["Location"] == ACTIVATE
