"""Background work for communities: invitation e-mails."""

from __future__ import annotations

from celery import shared_task

from .emails import invitation_send


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=600, max_retries=5)
def send_invitation(
    *, user_id: int, inviter_id: int | None = None, community_id: int | None = None
) -> bool:
    """Send one invitation e-mail; False when it no longer applies."""
    return invitation_send(user_id=user_id, inviter_id=inviter_id, community_id=community_id)


@shared_task
def retention_run() -> int:
    """Delete cases, reflections and notes past each school's retention period (daily)."""
    from .retention import retention_run as run

    return run()
