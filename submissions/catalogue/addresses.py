"""Which portal addresses the sync may fetch: never the site's own network (SSRF).

A portal's API URL is typed by staff and fetched by a worker inside the site's network, so
an address such as `http://127.0.0.1:6379/` or `http://169.254.169.254/` (cloud metadata)
would make the worker query internal services. Outside DEBUG, only https URLs whose host
resolves to public addresses only are accepted when a portal is saved, and every connection
of a sync (each redirect hop included) is made to an address checked by the same rule,
`may_connect_to` (see connect.py): a name that resolved to a public address when the portal
was saved may resolve to a private one later (DNS rebinding). No ORM here.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from hackqc.exceptions import HackQCError


class PortalAddressError(HackQCError):
    """A portal URL the sync must not fetch."""


# IPv6 ranges that carry an IPv4 address in their last 32 bits, which a gateway or the
# kernel may reach: IPv4-compatible (deprecated, ::/96) and NAT64 (RFC 6052, RFC 8215).
# Python counts them global whatever IPv4 address they carry.
_EMBEDDING_IPV4 = tuple(
    ipaddress.ip_network(n) for n in ("::/96", "64:ff9b::/96", "64:ff9b:1::/48")
)


def resolve(host):
    """Every address `host` resolves to, once each, in the resolver's order (an IP literal
    resolves to itself). Raises OSError (socket.gaierror) when it does not resolve."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except UnicodeError as exc:
        raise socket.gaierror(str(exc)) from None
    return list(dict.fromkeys(info[4][0] for info in infos))


def _embedded_ipv4(ip):
    """The IPv4 address an IPv6 address carries (6to4, NAT64, IPv4-compatible), if any."""
    if ip.sixtofour:
        return ip.sixtofour
    if any(ip in network for network in _EMBEDDING_IPV4):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public_address(address) -> bool:
    """Whether `address` (an IP, as text or object) is reachable from the internet at large:
    not loopback, private, link-local, shared, reserved or multicast, nor an IPv6 address
    standing for such an IPv4 address."""
    ip = ipaddress.ip_address(str(address).split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        elif (embedded := _embedded_ipv4(ip)) and not is_public_address(embedded):
            return False
    return ip.is_global and not ip.is_multicast


def _is_loopback(address):
    ip = ipaddress.ip_address(str(address).split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def may_connect_to(address) -> bool:
    """The one rule for every address the sync connects to, when staff save a portal and on
    each connection of a sync: a public address. On a developer's machine (DEBUG) any
    address (a local CKAN); with CATALOGUE_ALLOW_LOOPBACK (tests only: `check --deploy`
    fails with it) the loopback interface too, where the tests' replay portal listens."""
    if settings.DEBUG:
        return True
    if settings.CATALOGUE_ALLOW_LOOPBACK and _is_loopback(address):
        return True
    return is_public_address(address)


def check_addresses(host, addresses, *, field=None):
    """Raises `PortalAddressError` unless `host` resolved to addresses the sync may connect
    to, every one: a private answer among public ones is how DNS rebinding is tried."""
    if not addresses:
        raise PortalAddressError(
            _("The host %(host)s could not be found.") % {"host": host}, field=field
        )
    if not all(may_connect_to(a) for a in addresses):
        raise PortalAddressError(
            _("The host %(host)s is a private or local address: the sync may not read it.")
            % {"host": host},
            field=field,
        )


def check_portal_url(url, *, field="api_url"):
    """Raises `PortalAddressError` unless the sync may fetch `url`.

    With DEBUG (a developer's machine), http and local addresses are allowed: a local CKAN.
    """
    parts = urlsplit(url or "")
    schemes = {"https", "http"} if settings.DEBUG else {"https"}
    if parts.scheme not in schemes or not parts.hostname:
        raise PortalAddressError(_("The address must start with https://."), field=field)
    if parts.username or parts.password:
        raise PortalAddressError(
            _("The address must not hold a user name or password."), field=field
        )
    if settings.DEBUG:
        return
    try:
        addresses = resolve(parts.hostname)
    except OSError:
        addresses = []
    check_addresses(parts.hostname, addresses, field=field)
