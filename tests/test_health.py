"""/health/ tells a load balancer whether the database and the broker answer, and nothing more."""

from __future__ import annotations

import pytest

from plg_platform.celery import app

pytestmark = pytest.mark.django_db


def test_health_reports_database_and_broker_ok(client) -> None:
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_stays_200_but_reports_the_broker_when_it_is_unreachable(
    client, monkeypatch
) -> None:
    # Port 9 (discard) on localhost: nothing listens there, so the connection is refused.
    real = app.connection_for_write
    monkeypatch.setattr(app, "connection_for_write", lambda: real(url="redis://127.0.0.1:9/0"))

    response = client.get("/health/")

    # Requests work without the broker: the load balancer must keep the server.
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "error"}


def test_health_leaks_no_detail_when_the_database_fails(client, monkeypatch) -> None:
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise RuntimeError("password authentication failed for user secret")

    monkeypatch.setattr(connection, "cursor", broken_cursor)

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["database"] == "error"
    assert b"secret" not in response.content
