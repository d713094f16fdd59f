"""Client addresses from the trusted proxy's X-Forwarded-For, never from a header anyone
could write: rate limits count people, not the proxy, and a spoofed header changes nothing."""

import pytest
from django.test import RequestFactory
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import translation

from hackqc.proxy import client_ip

ONE_PROXY = {"TRUSTED_PROXY_COUNT": 1, "TRUSTED_PROXIES": ["127.0.0.1", "::1", "10.0.0.0/8"]}


def _request(peer, forwarded=None):
    headers = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_a_proxy_the_header_is_ignored():
    assert client_ip(_request("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


@override_settings(**ONE_PROXY)
def test_behind_one_proxy_the_address_it_appended_is_the_client():
    assert client_ip(_request("10.0.0.2", "198.51.100.1")) == "198.51.100.1"


@override_settings(**ONE_PROXY)
def test_what_the_client_wrote_in_the_header_is_never_read():
    # The client sent "X-Forwarded-For: 1.2.3.4"; nginx appended the address it saw.
    assert client_ip(_request("10.0.0.2", "1.2.3.4, 198.51.100.1")) == "198.51.100.1"
    assert client_ip(_request("10.0.0.2", "garbage, 198.51.100.1")) == "198.51.100.1"


@override_settings(**ONE_PROXY)
def test_a_header_from_an_untrusted_peer_is_ignored():
    # Someone reaching the web worker directly, bypassing the proxy.
    assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


@override_settings(TRUSTED_PROXY_COUNT=2, TRUSTED_PROXIES=["10.0.0.0/8"])
def test_behind_two_proxies_the_second_address_from_the_right():
    forwarded = "1.2.3.4, 198.51.100.1, 10.0.0.7"
    assert client_ip(_request("10.0.0.2", forwarded)) == "198.51.100.1"
    # Shorter than the chain: misconfigured or bypassed, the peer counts.
    assert client_ip(_request("10.0.0.2", "198.51.100.1")) == "10.0.0.2"


@override_settings(**ONE_PROXY)
def test_ipv6_and_ports_are_cleaned():
    assert client_ip(_request("::1", "[2001:db8::7]:4711")) == "2001:db8::7"
    assert client_ip(_request("127.0.0.1", "198.51.100.1:51000")) == "198.51.100.1"
    assert client_ip(_request("127.0.0.1", "not-an-address")) == "127.0.0.1"


def _failed_login(client, n, *, forwarded):
    with translation.override("en"):
        url = reverse("account_login")
    return client.post(
        url,
        {"login": f"nobody{n}@example.org", "password": "wrong-password"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
@override_settings(**ONE_PROXY)
def test_the_login_limit_counts_each_person_behind_the_proxy(client):
    """Behind the proxy, 40 people trying to log in in the same minute are not throttled
    together (allauth: 30 logins and 10 failures a minute per address)."""
    responses = [_failed_login(client, n, forwarded=f"198.51.100.{n}") for n in range(40)]

    assert [r.status_code for r in responses] == [200] * 40
    assert not any(b"Too many" in r.content for r in responses)


@pytest.mark.django_db
@override_settings(**ONE_PROXY)
def test_a_client_spoofing_the_header_is_still_throttled(client):
    """One client writing a new X-Forwarded-For each time: the proxy appends its real
    address, which the limit counts."""
    responses = [
        _failed_login(client, n, forwarded=f"192.0.2.{n}, 198.51.100.77") for n in range(32)
    ]

    assert not any(b"Too many" in r.content for r in responses[:10])
    assert b"Too many" in responses[10].content
    assert responses[-1].status_code == 429


@pytest.mark.parametrize(
    ("header", "seconds_ago"),
    [
        ("t=1800000000.250", 1.75),  # nginx: seconds with milliseconds
        ("1800000000250", 1.75),  # milliseconds
        ("t=1800000000250000", 1.75),  # microseconds
        ("t=1799999000", 60),  # older than REQUEST_START_MAX_AGE: 60 s at most
        ("t=1800000900", 0),  # the proxy's clock ahead: now
        ("garbage", 0),
        ("t=nan", 0),
    ],
)
@override_settings(**ONE_PROXY, REQUEST_START_MAX_AGE=60)
def test_request_start_formats_and_bounds(header, seconds_ago):
    import datetime as dt

    import time_machine

    from hackqc.proxy import request_arrival

    now = dt.datetime.fromtimestamp(1800000002, tz=dt.UTC)
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_REQUEST_START=header)
    with time_machine.travel(now, tick=False):
        arrived = request_arrival(request)
    assert (now - arrived).total_seconds() == pytest.approx(seconds_ago)


@pytest.mark.django_db
@override_settings(**ONE_PROXY)
def test_the_response_says_how_long_the_request_queued(client):
    import datetime as dt

    import time_machine

    now = dt.datetime(2027, 2, 1, 12, tzinfo=dt.UTC)
    start = f"t={now.timestamp() - 2.5:.3f}"
    with time_machine.travel(now, tick=False):
        trusted = client.get("/fr/", REMOTE_ADDR="10.0.0.2", HTTP_X_REQUEST_START=start)
        spoofed = client.get("/fr/", REMOTE_ADDR="192.0.2.1", HTTP_X_REQUEST_START=start)

    assert trusted.headers["Server-Timing"] == "queue;dur=2500"
    assert "Server-Timing" not in spoofed.headers
