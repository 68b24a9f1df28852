"""On PostgreSQL a statement a connection runs again and again is prepared (planned once)."""

from __future__ import annotations

import pytest
from django.db import connection

from plg_platform.users.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def test_a_statement_run_more_than_five_times_is_prepared(db) -> None:
    user = UserFactory()

    def read() -> list[User]:
        return list(User.objects.filter(email=user.email))

    for _ in range(5):
        read()
    assert not [s for s in _prepared() if '"users_user"."email" = $1' in s]

    read()
    assert [s for s in _prepared() if '"users_user"."email" = $1' in s]
    # The prepared statement answers with the current rows, not the ones of its first run.
    User.objects.filter(pk=user.pk).update(name="Renamed")
    assert [found.name for found in read()] == ["Renamed"]
