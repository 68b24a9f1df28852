"""Production settings fail fast without secrets and pass Django's deployment checks."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

from django.conf import settings


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "plg_platform.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_refuse_to_start_without_secret_key() -> None:
    result = _manage("check", ALLOWED_HOSTS="plg.example.org")

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_pass_check_deploy_without_warnings() -> None:
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="plg.example.org",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_workers_share_one_cache_in_redis() -> None:
    # allauth's sign-in limits live in the cache: one per process would multiply them.
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="plg.example.org",
        REDIS_URL="redis://127.0.0.1:6379/9",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "plg_platform.cache.RedisOrLocalCache"


def _database_options(**env: str) -> str:
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS'))",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="plg.example.org",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_postgresql_connections_prepare_statements_unless_switched_off() -> None:
    # Only settings are read: no connection is made to this address.
    url = "postgres://plg@db.invalid:5432/plg"

    assert _database_options(DATABASE_URL=url) == (
        "{'server_side_binding': True, 'prepare_threshold': 5}"
    )
    assert _database_options(DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="False") == "{}"


def test_sqlite_transactions_wait_for_the_write_lock_instead_of_failing() -> None:
    # The embedded default: web requests and an embedded worker share one file.
    assert _database_options(DATABASE_URL="sqlite:///var/settings-only.sqlite3") == (
        "{'transaction_mode': 'IMMEDIATE', 'timeout': 20}"
    )
