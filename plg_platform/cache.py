"""Production's cache: Redis, shared by every worker, with the process's own memory standing
in while Redis cannot be reached."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (ConnectionInterrupted, RedisConnectionError, RedisTimeoutError)


class RedisOrLocalCache(RedisCache):
    """allauth counts failed sign-ins in the cache and takes a lock in it with `add`. A cache
    that merely missed while Redis is away would refuse every sign-in (the lock is never had);
    one per process would give each worker its own five attempts. So: Redis, and for each call
    that cannot reach it this process's memory, as if there were no Redis (logged)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = {**params.get("OPTIONS", {}), "IGNORE_EXCEPTIONS": False}
        super().__init__(server, {**params, "OPTIONS": options})
        self._local = LocMemCache(f"plg-fallback:{server}", {"TIMEOUT": params.get("TIMEOUT")})


def _falling_back(name: str) -> Callable[..., Any]:
    shared = getattr(RedisCache, name)

    def method(self: RedisOrLocalCache, *args: Any, **kwargs: Any) -> Any:
        try:
            return shared(self, *args, **kwargs)
        except UNREACHABLE as error:
            logger.warning(
                "Redis cache unreachable (%s): %s from this process's memory", error, name
            )
            return getattr(self._local, name)(*args, **kwargs)

    method.__name__ = name
    return method


for _name in (
    "add", "get", "set", "touch", "delete", "get_many", "set_many", "delete_many",
    "has_key", "incr", "decr", "clear",
):  # fmt: skip
    setattr(RedisOrLocalCache, _name, _falling_back(_name))
