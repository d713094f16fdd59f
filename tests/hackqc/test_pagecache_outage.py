"""Cached pages with Redis down (issue 18): staleness is bounded to seconds, not to the 6 h
the pages are kept. While a process is on its local fallback it caches no page and answers
no 304; a write made during the outage is renewed on Redis within `RENEW_RETRY` seconds of
Redis answering again."""

import os
import time

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError

from hackqc import cache as resilient
from hackqc import pagecache


def _redis_cache(settings, location):
    resilient.reset()
    settings.CACHES = {
        "default": {
            "BACKEND": "hackqc.cache.ResilientRedisCache",
            "LOCATION": location,
            "RETRY_AFTER": 30,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


@pytest.fixture(autouse=True)
def _forget_outages():
    yield
    resilient.reset()
    pagecache._pending.clear()


def _on_redis(key):
    """What Redis itself holds (not the process's fallback)."""
    return RedisCache.get(caches["default"], key)


def _page():
    return pagecache.Page("outage-test", areas=("teams",), language=False)


def test_no_page_is_cached_or_answered_304_while_the_cache_is_down(settings):
    _redis_cache(settings, "redis://127.0.0.1:1/0")  # nothing listens on port 1
    builds = []

    pages = [_page() for _i in range(3)]
    values = [page.get_or_build(lambda: builds.append(1) or "rendered") for page in pages]

    assert pagecache.degraded()
    assert values == ["rendered"] * 3
    assert len(builds) == 3  # computed each time: another process may have written
    assert not _page().lookup()
    assert len({page.etag for page in pages}) == 3  # so no client is told "not modified"


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a Redis (REDIS_URL)")
def test_a_write_during_an_outage_shows_within_seconds_of_redis_coming_back(settings, monkeypatch):
    _redis_cache(settings, os.environ["REDIS_URL"])
    monkeypatch.setattr(pagecache, "RENEW_RETRY", 0.1)
    token_key = pagecache._token_key("teams")
    assert _page().get_or_build(lambda: "before the outage") == "before the outage"
    before = cache.get(token_key)
    assert _page().get_or_build(lambda: "unused") == "before the outage"  # cached on Redis

    working = RedisCache.set_many

    def refused(*args, **kwargs):
        raise RedisConnectionError("Redis is down")

    monkeypatch.setattr(RedisCache, "set_many", refused)
    pagecache.renew("teams")  # a write: Redis refuses the new token
    assert pagecache.degraded()
    assert _page().get_or_build(lambda: "during") == "during"  # never the old page

    monkeypatch.setattr(RedisCache, "set_many", working)  # Redis is back
    deadline = time.monotonic() + 5
    while _on_redis(token_key) in (before, None) and time.monotonic() < deadline:
        time.sleep(0.05)

    assert _on_redis(token_key) not in (before, None)
    assert not pagecache.degraded()
    assert _page().get_or_build(lambda: "after the outage") == "after the outage"
    assert pagecache._pending == set()
    cache.delete(token_key)
