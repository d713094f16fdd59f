"""Which portal addresses the sync may fetch: never the site's own network (SSRF).

A portal's API URL is typed by staff and fetched by a worker inside the site's network, so
an address such as `http://127.0.0.1:6379/` or `http://169.254.169.254/` (cloud metadata)
would make the worker query internal services. Outside DEBUG, only https URLs whose host
resolves to public addresses only are accepted. No ORM here.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from hackqc.exceptions import HackQCError


class PortalAddressError(HackQCError):
    """A portal URL the sync must not fetch."""


def _resolve(host):
    """Every address `host` resolves to (an IP literal resolves to itself)."""
    try:
        return {info[4][0] for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)}
    except (OSError, UnicodeError):
        return set()


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


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
    addresses = _resolve(parts.hostname)
    if not addresses:
        raise PortalAddressError(
            _("The host %(host)s could not be found.") % {"host": parts.hostname}, field=field
        )
    if not all(is_public_address(a) for a in addresses):
        raise PortalAddressError(
            _("The host %(host)s is a private or local address: the sync may not read it.")
            % {"host": parts.hostname},
            field=field,
        )
