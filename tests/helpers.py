"""Small assertions the view tests share."""

from __future__ import annotations

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def count_queries(client, url: str) -> int:
    """How many queries one successful GET of the page runs."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def assert_login_redirect(response) -> None:
    """Anonymous visitors are sent to the sign-in page."""
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def assert_only_for(response, persona: str, allowed, *, status: int = 200) -> None:
    """A persona test's answer: sign-in for the anonymous visitor, `status` for the `allowed`
    personas, and 404 (nothing there to see) for everyone else."""
    if persona == "anonymous":
        assert_login_redirect(response)
    elif persona in allowed:
        assert response.status_code == status, persona
    else:
        assert response.status_code == 404, persona


def totp_code(secret: str) -> str:
    """The authenticator app's current code for `secret`.

    allauth accepts only the current 30-second step, so a code made in the last moment of its
    step would be checked in the next one and refused: then wait for the next step first.
    """
    left = mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD
    if left < 2:
        time.sleep(left)
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))
