"""Render once per change: heavy documents and fragments cached under a key built from what
they show, and answered with 304 when the client has them already.

What a page shows is read from *areas* of data, one per app (`hackqc`, `teams`,
`submissions`, `catalogue`, `judging`, `results`, …). Each area has a version token in the
cache; every committed write renews the token of its area, so a page keyed by the versions of
its areas is computed again on the first request after any change it could show, and never
after a change it cannot (a review does not recompute the gallery). Nothing is keyed by time
alone: what depends on the clock (a gallery opening at the deadline, an embargo) goes into
the key as the state it gives (`is_gallery_public`), computed on each request.

Most pages show one edition (its gallery, results, board, open-data files), and on a
hackathon day one edition's teams save their sheets every second while the public browses
another's results: an area's token is therefore also kept per edition. A write whose
edition is known (`hackqc.ownership.edition_of`: the service's edition, or the written
row's) renews its area's token for that edition and the area's token for all pages; a write
whose edition is not known renews the area's token for every edition's pages (`ANY`) and
the one for all pages. A page about one edition (`Page(..., edition=pk)`) reads its
edition's token and `ANY`; a page about several (home, dataset search) reads the area's
token for all pages, which every write renews.

The writes renew their area by two routes, so that no writer can forget:
- every `@service` of the app (`hackqc.service` calls `touch_module`), which covers
  `update()` and `bulk_create`;
- every model save, delete and many-to-many change (signals, connected in
  `hackqc.apps`), which covers the admin and code outside services.
A write renews at once and again after its transaction commits (see `touch`).

The cache is the site's (Redis in production, local memory in the embedded default). Keys
carry the database name, so test workers or two sites sharing one Redis never read each
other's pages. A token lost to eviction is simply a new version (a miss, never a stale page).

Redis down: `hackqc.cache` falls back to per-process memory, where one process cannot see
the tokens another renews. So while a process is on its fallback (`degraded`), it caches no
page and answers no 304 (every read gets new tokens): pages are computed, never stale. A
write during the outage renews its areas in the fallback only, which would leave Redis's
older tokens, and the pages cached under them, current once Redis is back (for up to
`TIMEOUT`): the process keeps those areas and renews them on Redis itself every
`RENEW_RETRY` seconds until Redis answers. Staleness after an outage is bounded by that
period, not by `TIMEOUT`.
"""

import copy
import hashlib
import logging
import threading
import time
import uuid

from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.utils.cache import get_conditional_response
from django.utils.functional import SimpleLazyObject
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language

logger = logging.getLogger("hackqc.pagecache")

TIMEOUT = 6 * 3600
# Seconds between tries to renew on Redis the areas written while it was down.
RENEW_RETRY = 5
# The apps whose rows cached pages show; writes elsewhere renew nothing.
AREAS = {"hackqc", "teams", "catalogue", "submissions", "judging", "results"}
# Rows no cached page shows, written all the time (heartbeats, mails being sent).
IGNORED_MODELS = {"hackqc.workerheartbeat", "hackqc.outgoingmail"}


def _namespace() -> str:
    return f"page:{connection.settings_dict.get('NAME')}"


# The scope of the writes whose edition is not known: every edition's pages read it.
ANY = "any"


def _token_key(area, scope=None) -> str:
    """The token every write of `area` renews, or (`scope`: an edition's pk, or `ANY`) the
    one renewed by the writes to that edition, or by those of no known edition."""
    suffix = f"{area}:{scope}" if scope is not None else area
    return f"{_namespace()}:v:{suffix}"


def _new_token() -> str:
    # The time first: Last-Modified of what is keyed by it.
    return f"{time.time():.3f}-{uuid.uuid4().hex[:12]}"


def degraded() -> bool:
    """Whether the site's cache is this process's fallback now (Redis down): nothing read
    there can be trusted to be the latest (see the module's docstring)."""
    check = getattr(cache, "degraded", None)
    return bool(check and check())


def _keys(areas, edition=None) -> list[str]:
    """The tokens a page about `edition` (or about several editions: None) reads."""
    if edition is None:
        return [_token_key(area) for area in areas]
    return [_token_key(area, scope) for area in areas for scope in (edition, ANY)]


def _written_keys(areas, edition=None) -> list[str]:
    """The tokens a write to `edition` (None: not known) renews."""
    return [_token_key(area, scope) for area in areas for scope in (None, edition or ANY)]


def versions(*areas, edition=None) -> dict[str, str]:
    """The current tokens a page about `edition` (None: about several) reads, by key (one
    cache round trip; new tokens for unknown ones). With the cache degraded, new tokens
    every time: no page is cached or answered 304."""
    keys = _keys(areas, edition)
    if not keys:
        return {}  # a fragment keyed by its content alone (`Page(..., areas=())`)
    found = cache.get_many(keys)
    if degraded():
        return {key: _new_token() for key in keys}
    missing = {key: _new_token() for key in keys if key not in found}
    for key, token in missing.items():
        # add, not set: two processes creating the same token agree on the first one.
        if not cache.add(key, token, timeout=None):
            token = cache.get(key) or token
        found[key] = token
    return found


def renew(*areas, edition=None) -> None:
    """New tokens for `areas` written in `edition` (None: not known) now (tests; services
    use `touch`)."""
    keys = _written_keys(areas, edition)
    cache.set_many(dict.fromkeys(keys, _new_token()), timeout=None)
    if degraded():
        _renew_when_back(keys)


# Token keys written while Redis was down, to renew on Redis once it answers (per process).
_pending: set[str] = set()
_pending_lock = threading.Lock()
_retrier: dict[str, threading.Thread] = {}


def _renew_when_back(keys) -> None:
    with _pending_lock:
        _pending.update(keys)
        thread = _retrier.get("thread")
        if thread is None or not thread.is_alive():
            thread = threading.Thread(target=_retry_pending, name="pagecache-renew", daemon=True)
            _retrier["thread"] = thread
            thread.start()


def _retry_pending() -> None:
    """Every `RENEW_RETRY` seconds, renews the pending tokens on Redis until it answers."""
    from hackqc.cache import REDIS_DOWN

    while True:
        time.sleep(RENEW_RETRY)
        with _pending_lock:
            areas = set(_pending)
        if not areas:
            return
        try:
            cache.set_many_shared({key: _new_token() for key in areas}, timeout=None)
        except REDIS_DOWN:
            continue
        except Exception:  # never let a daemon thread die with areas pending silently
            logger.exception("pagecache: renewing %s on Redis failed", sorted(areas))
            continue
        with _pending_lock:
            _pending.difference_update(areas)
        logger.info("pagecache: renewed %s on Redis after an outage", sorted(areas))


class _Renewal:
    def __init__(self, area, edition):
        self.area, self.edition = area, edition

    def __call__(self):
        renew(self.area, edition=self.edition)


def touch(area, edition=None) -> None:
    """Renews `area` now and, inside a transaction, again once it commits.

    Now: the writer's own next read (and a test, whose transaction never commits) sees the
    change. At the commit: a request that read the new token before the commit, and so
    cached the old rows under it, is superseded. One renewal per area and edition per
    transaction. `edition`: the pk of the edition written to, None when not known."""
    if area not in AREAS:
        return
    if connection.in_atomic_block:
        registered = any(
            isinstance(func, _Renewal) and (func.area, func.edition) == (area, edition)
            for _sids, func, _robust in connection.run_on_commit
        )
        if not registered:
            transaction.on_commit(_Renewal(area, edition), robust=True)
    renew(area, edition=edition)


def area_of_module(module: str) -> str | None:
    config = apps.get_containing_app_config(module)
    return config.label if config else None


def touch_module(module: str, edition=None) -> None:
    """A `@service` of `module` wrote (to `edition`, a pk, if known): renew its app's area."""
    area = area_of_module(module)
    if area:
        touch(area, edition=edition)


def touch_model(sender, instance=None, update_fields=None, **kwargs):
    """Signal receiver (save, delete, many-to-many change): a row of `sender` changed
    (`instance`, or the row whose many-to-many relation changed), in its edition."""
    from hackqc.ownership import edition_of

    if sender._meta.label_lower in IGNORED_MODELS or sender._meta.app_label not in AREAS:
        return
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a login: no page shows it
    owner = edition_of(instance)
    touch(sender._meta.app_label, edition=owner and owner[0])


class Page:
    """A cached document: `key` from what it shows and the versions of the `areas` it reads."""

    def __init__(self, name, *parts, areas, language=True, edition=None):
        """`edition`: the pk of the one edition the page shows (its writes alone renew it),
        None when it shows several."""
        self.tokens = versions(*areas, edition=edition)
        language = get_language() if language else ""
        raw = "|".join([name, language, *map(str, parts), *sorted(self.tokens.values())])
        self.digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
        self.key = f"{_namespace()}:p:{name}:{self.digest}"

    def part(self, name) -> "Page":
        """Another fragment of the same page, under the same versions."""
        other = copy.copy(self)
        other.key = f"{self.key}:{name}"
        return other

    @property
    def etag(self) -> str:
        return quote_etag(self.digest)

    @property
    def last_modified(self) -> float:
        """When the newest of its areas last changed (a lost token reads as later: safe)."""
        return max((float(t.split("-", 1)[0]) for t in self.tokens.values()), default=0)

    def _validators(self):
        """(etag, last_modified). Last-Modified has whole seconds: it is given only once
        the newest change is a second old, so two changes within one second can never be
        answered 304 on If-Modified-Since. The ETag is exact."""
        newest = self.last_modified
        settled = newest and time.time() - newest >= 1
        return self.etag, int(newest) if settled else None

    def not_modified(self, request):
        """A 304 if the client's copy (If-None-Match / If-Modified-Since) is this one."""
        etag, last_modified = self._validators()
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        return self.stamp(response) if response is not None else None

    def lookup(self) -> bool:
        """Whether the fragment is cached: the view then skips computing its context. The
        value is kept, so the template renders what was looked up even if it expires."""
        self._value = None if degraded() else cache.get(self.key)
        return self._value is not None

    def get_or_build(self, build):
        value = getattr(self, "_value", None)
        if value is None and not degraded():
            value = cache.get(self.key)
        if value is None:
            value = build()
            if not degraded():
                cache.set(self.key, value, timeout=TIMEOUT)
        return value

    def stamp(self, response):
        """Sets ETag and Last-Modified, and asks shared caches to check back each time."""
        etag, last_modified = self._validators()
        response["ETag"] = etag
        if last_modified:
            response["Last-Modified"] = http_date(last_modified)
        response.setdefault("Cache-Control", "no-cache")
        return response


def look_up(pages) -> None:
    """`Page.lookup` for several fragments in one cache round trip (None entries skipped)."""
    pages = [page for page in pages if page is not None]
    if not pages or degraded():
        return
    found = cache.get_many([page.key for page in pages])
    for page in pages:
        page._value = found.get(page.key)


def lazy(compute):
    """A context value computed only if a fragment that was not cached reads it."""
    return SimpleLazyObject(compute)
