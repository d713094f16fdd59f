"""The sync's connections go only where `addresses.may_connect_to` allows (SSRF at fetch time).

Checking a portal's URL when staff save it is not enough: its name may resolve elsewhere by
the time the sync runs (DNS rebinding), and the portal may redirect anywhere. So each
connection, the first and each redirect hop's alike, resolves its host once, checks every
address it got with the save-time rule, and connects to one of those very addresses: a
second lookup, which a rebinding DNS server would answer differently, never happens. TLS
still checks the certificate against the host name (SNI), and the Host header is the
name: only the socket's peer is pinned.

Hooks in the connection rather than the URL because redirects, retries and keep-alive all
end up here, and a check of the URL's name would not see the address actually used.
"""

from urllib.parse import urljoin

import requests
from django.utils.translation import gettext as _
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError

from .addresses import PortalAddressError, check_addresses, resolve
from .ckan import CatalogueSourceError


class RefusedAddressError(CatalogueSourceError):
    """A connection of the sync would have reached an address it may not read."""


class GuardedConnectionMixin:
    """For urllib3's HTTP(S)Connection: connects only to checked addresses of its host."""

    def _new_conn(self):
        host = self._dns_host
        try:
            addresses = resolve(host)
        except OSError as exc:
            raise NameResolutionError(self.host, self, exc) from exc
        try:
            check_addresses(host, addresses)
        except PortalAddressError as exc:
            raise RefusedAddressError(exc.message) from None
        # The checked addresses, in the resolver's order, as urllib3 tries them.
        error = None
        for address in addresses:
            self._dns_host = address
            try:
                return super()._new_conn()
            except ConnectTimeoutError as exc:  # NewConnectionError too
                error = exc
            finally:
                self._dns_host = host
        raise error


class PortalSession(requests.Session):
    """A session that reads no proxy, .netrc or CA settings from the environment (a proxy
    would be the peer checked, and .netrc would send credentials to a portal) and never
    follows a redirect from https down to http."""

    def __init__(self):
        super().__init__()
        self.trust_env = False

    def get_redirect_target(self, response):
        target = super().get_redirect_target(response)
        if target and response.url.startswith("https://"):
            location = urljoin(response.url, target)
            if not location.lower().startswith("https://"):
                raise RefusedAddressError(
                    _("The portal redirected to %(url)s, which is not https: refused.")
                    % {"url": location}
                )
        return target
