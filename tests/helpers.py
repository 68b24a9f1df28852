"""Small assertions the view tests share."""

from __future__ import annotations

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
