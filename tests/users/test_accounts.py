"""Accounts: sign-in, no open sign-up, password reset, settings, language, invitations."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from communities import services
from plg_platform.users.tokens import invitation_url
from tests.factories import PASSWORD, CommunityFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Lerend-Netwerk-2027!"  # noqa: S105 - test-only


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth counts attempts in the cache; every test starts with a clean slate."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def invited():
    return UserFactory(email="invited@school.example", name="Ivo Invited", password=None)


def _path(url: str) -> str:
    return url.removeprefix("http://testserver")


def _signed_in_user_id(client):
    return client.session.get("_auth_user_id")


# Signing in


def test_sign_in_with_email_and_password_goes_to_the_dashboard(client):
    user = UserFactory(email="teacher@school.example")
    response = client.post(
        reverse("account_login"), {"login": "teacher@school.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("communities:dashboard")
    assert _signed_in_user_id(client) == str(user.pk)


def test_sign_in_with_a_wrong_password_is_refused(client):
    UserFactory(email="teacher@school.example")
    response = client.post(
        reverse("account_login"), {"login": "teacher@school.example", "password": "wrong"}
    )
    assert response.status_code == 200
    assert _signed_in_user_id(client) is None


def test_sign_in_page_renders_for_anonymous_visitors(client):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert 'name="login"' in response.content.decode()


def test_an_invited_person_without_password_cannot_sign_in(client, invited):
    response = client.post(reverse("account_login"), {"login": invited.email, "password": ""})
    assert response.status_code == 200
    assert _signed_in_user_id(client) is None


def test_sign_up_page_does_not_offer_a_form(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert 'name="password1"' not in response.content.decode()


def test_sign_up_post_creates_no_account(client):
    client.post(
        reverse("account_signup"),
        {"email": "stranger@example.com", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert not get_user_model().objects.filter(email="stranger@example.com").exists()


def test_password_reset_mails_a_reset_link(client, mailoutbox):
    UserFactory(email="forgetful@school.example")
    response = client.post(reverse("account_reset_password"), {"email": "forgetful@school.example"})
    assert response.status_code == 302
    assert [message.to for message in mailoutbox] == [["forgetful@school.example"]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


# Account settings and language


def test_account_settings_change_name_and_language(client):
    user = UserFactory(name="Old Name", language="nl")
    client.force_login(user)
    response = client.post(reverse("users:settings"), {"name": " New Name ", "language": "en"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.name, user.language) == ("New Name", "en")


def test_interface_renders_in_the_language_chosen_in_settings(client):
    user = UserFactory(language="nl")
    client.force_login(user)
    client.post(reverse("users:settings"), {"name": user.name, "language": "en"})
    response = client.get(reverse("communities:dashboard"))
    assert '<html lang="en">' in response.content.decode()


def test_interface_is_dutch_by_default(client):
    client.force_login(UserFactory())
    response = client.get(reverse("communities:dashboard"))
    assert '<html lang="nl">' in response.content.decode()


def test_account_settings_refuse_an_unknown_language(client):
    user = UserFactory(language="en")
    client.force_login(user)
    response = client.post(reverse("users:settings"), {"name": user.name, "language": "xx"})
    assert response.status_code == 200
    assert "Select a valid choice. xx is not one of the available choices." in (
        response.content.decode()
    )
    user.refresh_from_db()
    assert user.language == "en"


def test_language_switch_remembers_the_language_on_the_account(client):
    user = UserFactory(language="nl")
    client.force_login(user)
    response = client.post(reverse("users:language"), {"language": "en", "next": "/school/"})
    assert response.status_code == 302
    assert response["Location"] == "/school/"
    user.refresh_from_db()
    assert user.language == "en"


def test_language_switch_for_anonymous_visitors_sets_the_cookie(client):
    response = client.post(
        reverse("users:language"), {"language": "en", "next": "/accounts/login/"}
    )
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en">' in client.get(reverse("account_login")).content.decode()


def test_language_switch_ignores_a_next_url_on_another_site(client):
    response = client.post(
        reverse("users:language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_language_switch_ignores_an_unknown_language(client):
    user = UserFactory(language="nl")
    client.force_login(user)
    client.post(reverse("users:language"), {"language": "xx"})
    user.refresh_from_db()
    assert user.language == "nl"


# Invitations


def test_invitation_link_shows_the_set_password_form(client, invited):
    response = client.get(_path(invitation_url(invited)))
    assert response.status_code == 200
    assert 'name="new_password1"' in response.content.decode()


def test_invitation_sets_the_password_signs_in_and_goes_to_the_dashboard(client, invited):
    response = client.post(
        _path(invitation_url(invited)),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("communities:dashboard")
    invited.refresh_from_db()
    assert invited.check_password(NEW_PASSWORD)
    assert _signed_in_user_id(client) == str(invited.pk)


def test_accepting_an_invitation_marks_the_email_address_verified(client, invited):
    client.post(
        _path(invitation_url(invited)),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert EmailAddress.objects.filter(user=invited, email=invited.email, verified=True).exists()


def test_invitation_link_works_only_once(client, invited):
    url = _path(invitation_url(invited))
    client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.logout()
    response = client.get(url)
    assert response.status_code == 404
    assert "users/invitation_invalid.html" in [t.name for t in response.templates]


def test_invitation_with_mismatched_passwords_shows_an_error_and_sets_nothing(client, invited):
    response = client.post(
        _path(invitation_url(invited)),
        {"new_password1": NEW_PASSWORD, "new_password2": "something-else-2027"},
    )
    assert response.status_code == 200
    # The invitee is not signed in yet, so the page speaks the default language: Dutch.
    assert "De twee wachtwoordvelden komen niet overeen." in response.content.decode()
    invited.refresh_from_db()
    assert not invited.has_usable_password()


def test_invitation_for_someone_who_already_has_a_password_is_404(client):
    user = UserFactory()
    assert client.get(_path(invitation_url(user))).status_code == 404


def test_invitation_for_a_deactivated_account_is_404(client, invited):
    url = _path(invitation_url(invited))
    invited.is_active = False
    invited.save(update_fields=["is_active"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("uidb64", "token"),
    [
        ("garbage", "garbage"),
        ("MQ", "not-a-token"),
        ("!!!!", "x"),
        ("_w", "x"),
        ("OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5", "x"),
    ],
    ids=["garbage", "bad-token", "not-base64", "not-utf8", "huge-uid"],
)
def test_garbage_invitation_link_is_404_not_500(client, invited, uidb64, token):
    response = client.get(reverse("users:invitation_accept", args=[uidb64, token]))
    assert response.status_code == 404


def test_invitation_mail_link_leads_to_a_working_sign_in(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    community = CommunityFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_add(
            community=community,
            email="new@school.example",
            roles=["participant"],
            actor=UserFactory(),
        )
    link = re.search(r"http://testserver(/invitation/\S+/)", mailoutbox[0].body).group(1)
    client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "new@school.example", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("communities:detail", args=[community.pk])).status_code == 200


def test_invitation_link_expires_after_the_reset_timeout(client, invited, settings):
    url = _path(invitation_url(invited))
    # A day past the limit, well clear of any local-time offset in the naive clock.
    timeout = dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    later = dt.datetime.now(tz=dt.UTC) + timeout + dt.timedelta(days=1)
    with time_machine.travel(later):
        response = client.get(url)
    assert response.status_code == 404


def test_people_cannot_add_or_swap_email_addresses_themselves(client, participant):
    client.force_login(participant)

    assert client.get("/accounts/email/").status_code == 404
    assert (
        client.post("/accounts/email/", {"email": "x@example.org", "action_add": ""}).status_code
        == 404
    )
