"""Background work for meetings: the reminder run (beat), sending, and the daily digest."""

from __future__ import annotations

from celery import shared_task

from .services import notifications

RETRY = {
    "autoretry_for": (OSError,),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


@shared_task(**RETRY)
def reminders_run() -> dict[str, int]:
    """Record and send every reminder that is due (Celery beat, every 15 minutes)."""
    summary = notifications.reminders_run()
    return {"due": summary.due, "created": summary.created, "sent": summary.sent}


@shared_task(**RETRY)
def notifications_send() -> int:
    """Send recorded notices that have not been sent yet."""
    return notifications.notifications_send()


@shared_task(**RETRY)
def digests_send() -> int:
    """Send the daily digests (Celery beat, every morning)."""
    return notifications.digests_send()
