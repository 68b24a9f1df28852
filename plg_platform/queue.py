"""Hand work to Celery once the change that caused it is committed.

The database row a task works on is the outbox: a notification not yet sent, a final report
without its PDF, a yearly report still queued. So when the broker (Redis) is down, the web
request must still succeed; the row waits, and a periodic sweep (Celery beat) picks it up
once the broker is back.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger("plg_platform.queue")

# What a broker outage looks like to the publisher: kombu's wrapper or the socket error itself.
BROKER_DOWN = (OperationalError, ConnectionError, TimeoutError)
# Seconds a web request waits for the broker before leaving the work to the sweep.
BROKER_TIMEOUT = 2


def enqueue(task: Task, /, **kwargs: Any) -> bool:
    """Queue `task` now; False (logged) when the broker cannot be reached."""
    if task.app.conf.task_always_eager:
        # Tests run tasks in-process: let their errors surface.
        task.apply_async(kwargs=kwargs)
        return True
    connection = None
    try:
        with task.app.pool.acquire(block=True, timeout=BROKER_TIMEOUT) as connection:
            # One quick try: a request must not hang on a dead broker; the sweep retries.
            connection.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
            task.apply_async(kwargs=kwargs, connection=connection, retry=False)
    except Exception as error:
        # A pooled connection to a broker that went away fails with its transport's own error.
        down = BROKER_DOWN + tuple(getattr(connection, "connection_errors", ()))
        if not isinstance(error, down):
            raise
        logger.warning("Broker unreachable: %s %s waits for the next sweep", task.name, kwargs)
        return False
    return True


def enqueue_on_commit(task: Task, /, **kwargs: Any) -> None:
    """Queue `task` once the current transaction commits (see `enqueue`)."""
    transaction.on_commit(lambda: enqueue(task, **kwargs))
