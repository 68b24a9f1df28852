"""A real Celery worker process executes a task delivered through the configured broker.

On the embedded default the broker is kombu's filesystem transport; in CI's second run it
is Redis (REDIS_URL). The worker shares the test database, so the data must be committed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from communities.models import Community, Membership, School, SchoolYear, Team
from communities.tasks import send_invitation
from plg_platform.users.models import User

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


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
