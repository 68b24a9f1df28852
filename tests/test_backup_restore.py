"""A backup made as docs/backup.md says restores into a fresh database with the same data."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.factories import CommunityFactory, MembershipFactory, SchoolFactory

pytestmark = pytest.mark.django_db(transaction=True)

# What must come back, table by table: a stable summary of the rows people care about.
CHECKS = {
    "communities_school": "SELECT name FROM communities_school ORDER BY name",
    "communities_community": "SELECT name FROM communities_community ORDER BY name",
    "communities_membership": (
        "SELECT u.email, c.name, m.is_teacher_leader FROM communities_membership m "
        "JOIN users_user u ON u.id = m.user_id "
        "JOIN communities_community c ON c.id = m.community_id ORDER BY u.email, c.name"
    ),
}


@pytest.fixture
def school_data() -> None:
    school = SchoolFactory(name="Restore College")
    community = CommunityFactory(team__school=school, name="PLG Terugzetten")
    MembershipFactory(
        community=community, user__email="lead@restore.example", is_teacher_leader=True
    )
    MembershipFactory(community=community, user__email="member@restore.example")


def _snapshot(cursor) -> dict[str, list[tuple]]:
    result = {}
    for table, sql in CHECKS.items():
        cursor.execute(sql)
        result[table] = [tuple(row) for row in cursor.fetchall()]
    return result


def _postgres_restore(tmp_path: Path) -> dict[str, list[tuple]]:
    settings = connection.settings_dict
    base = {
        "host": settings["HOST"] or "127.0.0.1",
        "port": str(settings["PORT"] or 5432),
        "user": settings["USER"],
    }
    env = {**os.environ, "PGHOST": base["host"], "PGPORT": base["port"], "PGUSER": base["user"]}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    dump = tmp_path / "plg.dump"
    fresh = f"plg_restore_{uuid.uuid4().hex[:8]}"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", settings["NAME"]],
        env=env,
        check=True,
        timeout=120,
    )
    subprocess.run(["createdb", fresh], env=env, check=True, timeout=60)
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={fresh}", str(dump)],
            env=env,
            check=True,
            timeout=120,
        )
        with psycopg.connect(dbname=fresh, **base, password=settings.get("PASSWORD") or None) as db:
            with db.cursor() as cursor:
                return _snapshot(cursor)
    finally:
        subprocess.run(["dropdb", "--if-exists", fresh], env=env, check=False, timeout=60)


def _sqlite_restore(tmp_path: Path) -> dict[str, list[tuple]]:
    backup = tmp_path / "backup.sqlite3"
    subprocess.run(
        ["sqlite3", str(connection.settings_dict["NAME"]), f".backup {backup}"],
        check=True,
        timeout=60,
    )
    restored = tmp_path / "restored.sqlite3"
    restored.write_bytes(backup.read_bytes())
    with contextlib.closing(sqlite3.connect(restored)) as db:
        return _snapshot(db.cursor())


def test_backup_restores_into_a_fresh_database_with_the_same_data(school_data, tmp_path) -> None:
    with connection.cursor() as cursor:
        before = _snapshot(cursor)

    if connection.vendor == "postgresql":
        after = _postgres_restore(tmp_path)
    else:
        after = _sqlite_restore(tmp_path)

    assert before["communities_community"]  # the fixture really wrote rows
    assert ("lead@restore.example", "PLG Terugzetten", True) in before["communities_membership"]
    assert after == before
