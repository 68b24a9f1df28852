"""Production's cache: shared by the workers in Redis, and each process's memory while Redis
cannot be reached (plg_platform.cache)."""

from __future__ import annotations

import logging
from uuid import uuid4

import pytest
from django.conf import settings

from plg_platform.cache import RedisOrLocalCache

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def test_an_unreachable_redis_is_stood_in_for_by_the_process_memory(caplog) -> None:
    cache = RedisOrLocalCache(UNREACHABLE_REDIS, {"OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5}})

    with caplog.at_level(logging.WARNING, logger="plg_platform.cache"):
        first_lock, second_lock = cache.add("lock", True, 30), cache.add("lock", True, 30)
        cache.set("history", [1.5, 2.5], 30)

    # allauth's sign-in limit: the lock is had once, and the history is kept.
    assert (first_lock, second_lock) == (True, False)
    assert cache.get("history") == [1.5, 2.5]
    assert "Redis cache unreachable" in caplog.text


@pytest.mark.skipif(
    not settings.REDIS_URL, reason="runs where Redis is configured (CI's second run)"
)
def test_two_worker_processes_share_one_count_in_redis() -> None:
    params = {"KEY_PREFIX": f"test-{uuid4().hex}"}
    one, other = (
        RedisOrLocalCache(settings.REDIS_URL, params),
        RedisOrLocalCache(settings.REDIS_URL, params),
    )
    try:
        one.set("history", [1.5], 30)
        assert other.get("history") == [1.5]
        assert other.add("lock", True, 30) is True
        assert one.add("lock", True, 30) is False
    finally:
        one.delete_many(["history", "lock"])
