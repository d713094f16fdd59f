"""What the front proxy says about a request: who sent it and when it arrived.

Behind a proxy, `REMOTE_ADDR` is the proxy's address and a request may wait in the queue
of a busy web worker for seconds before any code reads the clock. The proxy tells the
client's address (`X-Forwarded-For`, each proxy appending the address it received from)
and the instant the request reached it (`X-Request-Start`, nginx:
`proxy_set_header X-Request-Start "t=${msec}";`). Both headers are believed only from
a configured proxy (`TRUSTED_PROXIES`, with `TRUSTED_PROXY_COUNT` proxies in the chain):
anyone else can write them, so they are ignored when the request came from elsewhere.
"""

import ipaddress
import logging
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger("hackqc.proxy")


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]):
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _clean(address: str | None) -> str | None:
    """The address alone (no port, no brackets), or None if it is not an IP address."""
    if not address:
        return None
    address = address.strip()
    if address.startswith("["):  # [::1]:443
        address = address[1:].partition("]")[0]
    elif address.count(":") == 1:  # 203.0.113.7:51000
        address = address.partition(":")[0]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def from_trusted_proxy(request) -> bool:
    """True when the request came straight from one of the configured proxies."""
    if settings.TRUSTED_PROXY_COUNT <= 0:
        return False
    peer = _clean(request.META.get("REMOTE_ADDR"))
    if peer is None:
        return False
    address = ipaddress.ip_address(peer)
    return any(address in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request) -> str:
    """The address of the person behind the request, for rate limits and logs.

    With `TRUSTED_PROXY_COUNT` = n proxies, each appending to `X-Forwarded-For`, the client is
    the n-th address from the right: what a client writes in the header itself stays on the
    left and is never read. A request not from a trusted proxy, or with a header shorter
    than the chain (the proxy was bypassed or misconfigured), counts as its `REMOTE_ADDR`.
    """
    peer = request.META.get("REMOTE_ADDR") or ""
    if not from_trusted_proxy(request):
        return _clean(peer) or peer
    chain = request.headers.get("X-Forwarded-For", "").split(",")
    count = settings.TRUSTED_PROXY_COUNT
    if len(chain) < count or not chain[0].strip():
        logger.warning(
            "X-Forwarded-For has %d addresses, TRUSTED_PROXY_COUNT is %d", len(chain), count
        )
        return _clean(peer) or peer
    return _clean(chain[-count]) or _clean(peer) or peer


def _parse_request_start(raw: str) -> float | None:
    """Seconds since the epoch from `t=1700000000.123` (nginx), or milliseconds or
    microseconds as integers (other proxies), told apart by their size."""
    value = raw.strip()
    if value.startswith("t="):
        value = value[2:]
    try:
        number = float(value)
    except ValueError:
        return None
    if number != number or number <= 0:  # NaN
        return None
    if number > 1e14:
        return number / 1e6
    if number > 1e11:
        return number / 1e3
    return number


def request_arrival(request) -> datetime:
    """When the request reached the site.

    The proxy's `X-Request-Start` when it came from a trusted proxy, never later than now and
    never more than `REQUEST_START_MAX_AGE` seconds earlier (a proxy's clock off by hours
    gains nobody more than that); otherwise the instant the request reached Django
    (`RequestArrivalMiddleware`), or now.
    """
    now = timezone.now()
    received = getattr(request, "received_at", None) or now
    raw = request.headers.get("X-Request-Start")
    if not raw or not from_trusted_proxy(request):
        return received
    seconds = _parse_request_start(raw)
    if seconds is None:
        return received
    try:
        start = datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return received
    earliest = now - timedelta(seconds=settings.REQUEST_START_MAX_AGE)
    return min(max(start, earliest), received)


class RequestArrivalMiddleware:
    """Reads the clock as a request reaches Django (`request.received_at`), before any other
    middleware touches the database or the cache; `request_arrival` prefers the proxy's.
    Behind a trusted proxy, the response says how long the request queued
    (`Server-Timing: queue;dur=<ms>`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.received_at = timezone.now()
        response = self.get_response(request)
        # How long the request waited between the proxy and Django (the web workers' queue),
        # for the browser's developer tools and the proxy's logs: the figure that says
        # whether more workers or threads are needed on the day.
        if request.headers.get("X-Request-Start") and from_trusted_proxy(request):
            waited = (request.received_at - request_arrival(request)).total_seconds()
            response.headers.setdefault("Server-Timing", f"queue;dur={waited * 1000:.0f}")
        return response
