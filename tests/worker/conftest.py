"""The real Celery worker the tests in this folder hand their tasks to."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from plg_platform.celery import app


@pytest.fixture
def worker(tmp_path: Path):
    """Start `celery worker` in its own process, on the same database and broker; yield its mail folder."""
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "plg_platform.settings.test",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    if database["ENGINE"].endswith("sqlite3"):
        env["DATABASE_URL"] = f"sqlite:///{database['NAME']}"
    else:
        user = database["USER"]
        host = database["HOST"] or "127.0.0.1"
        port = database["PORT"] or 5432
        env["DATABASE_URL"] = f"postgres://{user}@{host}:{port}/{database['NAME']}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "plg_platform",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield mail_dir
    finally:
        app.conf.task_always_eager = previous
        process.terminate()
        output, _ = process.communicate(timeout=30)
        if process.returncode not in (0, -15):
            print(output)
