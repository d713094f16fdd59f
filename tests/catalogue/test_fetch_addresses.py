"""SSRF at fetch time: every connection of a sync, each redirect hop included, goes only to an
address the save-time rule allows, resolved once and connected to as checked (DNS rebinding).

The replay portal listens on 127.0.0.1, which the tests open with CATALOGUE_ALLOW_LOOPBACK
(`ckan_server` turns it on); every other private address stays refused.
"""

import socket

import pytest
import requests
from django.core.checks import run_checks
from django.urls import reverse
from django.utils import translation

from submissions.catalogue import addresses, services
from submissions.catalogue.connect import PortalSession, RefusedAddressError
from submissions.catalogue.models import Dataset, SyncRun

REFUSED = "The host {host} is a private or local address: the sync may not read it."


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def dns(monkeypatch):
    """A resolver whose answers for some names the test sets; it counts their lookups."""
    answers, lookups = _Answers(), []
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            return real(host, port, *args, **kwargs)
        lookups.append(host)
        return [
            (
                socket.AF_INET6 if ":" in ip else socket.AF_INET,
                socket.SOCK_STREAM,
                socket.IPPROTO_TCP,
                "",
                (ip, port or 0),
            )
            for ip in answers[host]
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    answers.lookups = lookups
    return answers


class _Answers(dict):
    """Addresses by name, and `lookups`: the names asked, in order."""


def _full_sync(portal):
    return services.sync_portal(portal, full=True)


def _synced_once(portal):
    run = _full_sync(portal)
    assert (run.status, run.created) == ("succeeded", 11)
    return Dataset.objects.filter(state=Dataset.State.ACTIVE).count()


def _assert_failed_keeping_the_catalogue(run, message, active):
    assert run.status == SyncRun.Status.FAILED
    assert run.errors == [{"error": message}]
    assert Dataset.objects.filter(state=Dataset.State.ACTIVE).count() == active
    assert not Dataset.objects.filter(state=Dataset.State.WITHDRAWN).exists()


# The rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.5",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104 — an address refused, not one listened on
        "::1",
        "::",
        "fe80::1",
        "fe80::1%eth0",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "::7f00:1",  # IPv4-compatible 127.0.0.1
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    ],
)
def test_private_and_local_addresses_are_refused(address, settings):
    assert settings.CATALOGUE_ALLOW_LOOPBACK is False

    assert addresses.may_connect_to(address) is False


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "2002:808:808::1", "64:ff9b::808:808"],
)
def test_public_addresses_are_allowed(address):
    assert addresses.may_connect_to(address) is True


def test_the_tests_opening_lets_loopback_through_and_nothing_else(settings):
    settings.CATALOGUE_ALLOW_LOOPBACK = True

    allowed = {
        a: addresses.may_connect_to(a)
        for a in ("127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1", "10.0.0.5", "fe80::1")
    }

    assert allowed == {
        "127.0.0.1": True,
        "127.8.9.10": True,
        "::1": True,
        "::ffff:127.0.0.1": True,
        "10.0.0.5": False,
        "fe80::1": False,
    }


@pytest.mark.parametrize("flag", [True, False])
def test_the_deployment_check_fails_while_loopback_is_open(settings, flag):
    settings.CATALOGUE_ALLOW_LOOPBACK = flag

    ids = {message.id for message in run_checks(include_deployment_checks=True)}

    assert ("hackqc.E001" in ids) is flag


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["fe80::1", "::ffff:10.0.0.1", "64:ff9b::7f00:1"])
def test_saving_and_fetching_apply_the_same_rule(address, dns, ckan_server, portal):
    """The save-time check and the connection refuse the same answer, with one message."""
    dns["portal.example"] = [address]
    port = ckan_server.api_url.split(":")[2].split("/")[0]
    url = f"https://portal.example:{port}/api/3/action/"

    with pytest.raises(addresses.PortalAddressError) as saved:
        addresses.check_portal_url(url)
    portal.api_url = url.replace("https", "http")
    portal.save()
    run = _full_sync(portal)

    assert str(saved.value) == REFUSED.format(host="portal.example")
    _assert_failed_keeping_the_catalogue(run, REFUSED.format(host="portal.example"), 0)
    assert ckan_server.requests == []


# Redirects --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("location", "host"),
    [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://10.0.0.1:8080/api/3/action/package_search", "10.0.0.1"),
        ("http://[fe80::1]/api/3/action/package_search", "fe80::1"),
        ("http://[::ffff:192.168.1.1]/", "::ffff:192.168.1.1"),
    ],
)
def test_a_redirect_to_a_private_address_fails_the_run_and_withdraws_nothing(
    portal, ckan_server, location, host
):
    active = _synced_once(portal)
    ckan_server.glitches = [("redirect", location)]

    run = _full_sync(portal)

    _assert_failed_keeping_the_catalogue(run, REFUSED.format(host=host), active)


@pytest.mark.django_db
def test_a_redirect_to_a_name_that_resolves_privately_is_refused(portal, ckan_server, dns):
    dns["mirror.example"] = ["10.1.2.3"]
    ckan_server.glitches = [("redirect", "http://mirror.example/api/3/action/package_search")]

    run = _full_sync(portal)

    _assert_failed_keeping_the_catalogue(run, REFUSED.format(host="mirror.example"), 0)
    assert dns.lookups == ["mirror.example"]


@pytest.mark.django_db
def test_a_redirect_to_an_allowed_address_is_followed(portal, ckan_server):
    page = ckan_server.api_url + "package_search?rows=5&start=0&sort=id+asc"
    ckan_server.glitches = [("redirect", page)]

    run = _full_sync(portal)

    assert (run.status, run.created) == ("succeeded", 11)


def test_a_redirect_from_https_down_to_http_is_refused():
    response = requests.Response()
    response.status_code = 302
    response.url = "https://portal.example/api/3/action/package_search"
    response.headers["Location"] = "http://portal.example/api/3/action/package_search"

    with pytest.raises(RefusedAddressError, match="which is not https"):
        PortalSession().get_redirect_target(response)
    response.headers["Location"] = "/recherche/api/3/action/package_search"
    assert PortalSession().get_redirect_target(response) == response.headers["Location"]


# DNS --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_name_rebound_to_a_private_address_after_saving_fails_the_run(
    portal, ckan_server, dns, staff
):
    """Public when staff saved the portal, private when the sync runs: refused, nothing lost."""
    active = _synced_once(portal)
    port = ckan_server.api_url.split(":")[2].split("/")[0]
    dns["rebind.example"] = ["93.184.216.34"]
    dns["www.donneesquebec.ca"] = ["142.213.0.1"]  # the dataset links' host, checked too
    services.update_portal(portal, by=staff, api_url=f"https://rebind.example:{port}/api/")
    portal.api_url = f"http://rebind.example:{port}/api/3/action/"  # the replay speaks http
    portal.save()
    dns["rebind.example"] = ["169.254.169.254"]
    served = len(ckan_server.requests)

    run = _full_sync(portal)

    _assert_failed_keeping_the_catalogue(run, REFUSED.format(host="rebind.example"), active)
    assert len(ckan_server.requests) == served


@pytest.mark.django_db
def test_one_private_answer_among_allowed_ones_is_refused(portal, ckan_server, dns):
    port = ckan_server.api_url.split(":")[2].split("/")[0]
    dns["rebind.example"] = ["127.0.0.1", "10.0.0.7"]
    portal.api_url = f"http://rebind.example:{port}/api/3/action/"
    portal.save()

    run = _full_sync(portal)

    _assert_failed_keeping_the_catalogue(run, REFUSED.format(host="rebind.example"), 0)
    assert ckan_server.requests == []


@pytest.mark.django_db
def test_the_name_is_resolved_once_per_connection_and_sent_as_the_host(portal, ckan_server, dns):
    """The connection goes to the checked address: no second lookup a rebinding DNS server
    could answer differently; the portal still sees its own name."""
    port = ckan_server.api_url.split(":")[2].split("/")[0]
    dns["catalogue.example"] = ["127.0.0.1"]
    portal.api_url = f"http://catalogue.example:{port}/api/3/action/"
    portal.save()

    run = _full_sync(portal)

    assert (run.status, run.created) == ("succeeded", 11)
    assert len(dns.lookups) == len(ckan_server.requests) == 3
    assert set(ckan_server.hosts) == {f"catalogue.example:{port}"}


@pytest.mark.django_db
def test_a_proxy_from_the_environment_is_not_used(portal, ckan_server, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://10.0.0.9:3128")
    monkeypatch.setenv("http_proxy", "http://10.0.0.9:3128")

    run = _full_sync(portal)

    assert (run.status, run.created) == ("succeeded", 11)


# What staff see ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_see_the_refused_sync_as_a_failed_run_with_its_reason(
    client, staff, portal, ckan_server, django_capture_on_commit_callbacks
):
    ckan_server.glitches = [("redirect", "http://169.254.169.254/latest/meta-data/")]
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portals:sync", args=[portal.pk]), follow=True)
    runs = client.get(reverse("portals:runs", args=[portal.pk]))

    assert response.status_code == runs.status_code == 200
    run = SyncRun.objects.get()
    assert (run.status, run.errors) == (
        "failed",
        [{"error": REFUSED.format(host="169.254.169.254")}],
    )
    assert REFUSED.format(host="169.254.169.254") in runs.content.decode()
