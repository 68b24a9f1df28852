"""A real Celery worker process executes a task delivered through the configured broker.

On the embedded default the broker is kombu's filesystem transport; in CI's second run it
is Redis (REDIS_URL). The worker shares the test database, so the data must be committed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from communities.models import Community, Membership, School, SchoolYear, Team
from communities.tasks import send_invitation
from plg_platform.celery import app
from plg_platform.users.models import User

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(tmp_path: Path):
    """Start `celery worker` in its own process, on the same database and broker."""
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


def test_worker_process_sends_invitation_delivered_through_broker(worker: Path) -> None:
    school = School.objects.create(name="Worker College")
    year = SchoolYear.objects.create(
        school=school,
        name="2026-2027",
        starts_on="2026-08-24",
        ends_on="2027-07-16",
    )
    team = Team.objects.create(school=school, name="Team A")
    community = Community.objects.create(team=team, school_year=year, name="PLG Worker")
    invitee = User.objects.create_user(email="invitee@example.org", name="Ina Invitee")
    Membership.objects.create(community=community, user=invitee, is_participant=True)

    result = send_invitation.delay(user_id=invitee.pk, community_id=community.pk)

    assert result.get(timeout=90) is True
    mails = list(worker.iterdir())
    assert len(mails) == 1
    body = mails[0].read_text()
    assert "invitee@example.org" in body
    assert "/invitation/" in body
