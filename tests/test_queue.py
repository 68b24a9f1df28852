"""A broker outage never breaks a web request: the change is saved, its notification row waits
in the database (the outbox), and the next sweep sends it once the broker is back."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core import mail
from django.urls import reverse
from kombu import pools

from meetings.models import AbsenceRequest, Notification, NotificationKind
from meetings.services.notifications import notifications_send
from meetings.tasks import notifications_send as notifications_send_task
from plg_platform.celery import app
from plg_platform.queue import enqueue

# Nothing listens on the discard port: connecting is refused at once.
DEAD_BROKER = "redis://127.0.0.1:9/0"


def _reset_pools() -> None:
    # Connections are pooled per broker address; start from none, as a fresh process would.
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_down() -> Iterator[None]:
    """Publish through a broker that cannot be reached, as a web process would."""
    conf = app.conf
    saved = (conf.broker_url, conf.broker_transport_options, conf.task_always_eager)
    _reset_pools()
    conf.broker_url, conf.broker_transport_options, conf.task_always_eager = DEAD_BROKER, {}, False
    try:
        yield
    finally:
        _reset_pools()
        conf.broker_url, conf.broker_transport_options, conf.task_always_eager = saved


def test_enqueue_reports_an_unreachable_broker_instead_of_raising(caplog) -> None:
    with broker_down(), caplog.at_level(logging.WARNING, logger="plg_platform.queue"):
        queued = enqueue(notifications_send_task)

    assert queued is False
    assert "waits for the next sweep" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_absence_request_is_saved_and_its_notice_sent_later_when_the_broker_was_down(
    client, meetings, participant, team_leader
) -> None:
    client.force_login(participant)

    with broker_down():
        response = client.post(
            reverse("meetings:absence_request", args=[meetings[1].pk]),
            {"reason": "Begrafenis van mijn oom"},
        )

    assert response.status_code == 302
    assert AbsenceRequest.objects.filter(meeting=meetings[1], member=participant).exists()
    waiting = Notification.objects.get(kind=NotificationKind.ABSENCE_SUBMITTED)
    assert waiting.recipient == team_leader
    assert waiting.sent_at is None
    assert mail.outbox == []

    # The broker is back: beat's next run sends what waited, once.
    assert notifications_send() == 1
    assert notifications_send() == 0
    assert [message.to for message in mail.outbox] == [[team_leader.email]]
