"""A Redis cache that degrades instead of failing when Redis is down or frozen.

The cache holds nothing that must survive (allauth's rate-limit counters, cached
fragments), so when Redis does not answer within its socket timeout, the process switches to
a local-memory cache for `RETRY_AFTER` seconds and tries Redis again afterwards. Logins and
rate limits keep working (per process, which is looser but never open), and one frozen
Redis costs one timeout per process and period, not one per request.
"""

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("hackqc.cache")

REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)

# Per process and Redis location: when Redis may be tried again (monotonic seconds).
_down_until: dict[str, float] = {}
_lock = threading.Lock()


def _degrading(name):
    def method(self, *args, **kwargs):
        if time.monotonic() < _down_until.get(self._location, 0.0):
            return getattr(self._fallback, name)(*args, **kwargs)
        try:
            return getattr(RedisCache, name)(self, *args, **kwargs)
        except REDIS_DOWN as exc:
            with _lock:
                _down_until[self._location] = time.monotonic() + self._retry_after
            logger.warning(
                "cache: Redis unavailable (%s); local cache for %ss", exc, self._retry_after
            )
            return getattr(self._fallback, name)(*args, **kwargs)

    method.__name__ = name
    return method


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)
        self._retry_after = params.get("RETRY_AFTER", 30)
        self._fallback = LocMemCache(
            f"hackqc-fallback-{self._location}",
            {"TIMEOUT": params.get("TIMEOUT", 300), "OPTIONS": {"MAX_ENTRIES": 10_000}},
        )

    def degraded(self) -> bool:
        """Whether this process is on its local cache now, Redis having failed lately: what
        it reads there may be older than what other processes wrote (hackqc.pagecache then
        caches no page)."""
        return time.monotonic() < _down_until.get(self._location, 0.0)

    def set_many_shared(self, mapping, timeout=None) -> None:
        """`set_many` on Redis itself, raising REDIS_DOWN errors instead of falling back;
        Redis answered, so the process stops using its local cache."""
        RedisCache.set_many(self, mapping, timeout=timeout)
        with _lock:
            _down_until.pop(self._location, None)

    add = _degrading("add")
    get = _degrading("get")
    set = _degrading("set")
    touch = _degrading("touch")
    delete = _degrading("delete")
    get_many = _degrading("get_many")
    has_key = _degrading("has_key")
    incr = _degrading("incr")
    set_many = _degrading("set_many")
    delete_many = _degrading("delete_many")
    clear = _degrading("clear")


def reset():
    """Forgets that Redis was down (tests)."""
    _down_until.clear()
