"""Reading a CKAN portal's Action API (`package_search`, `package_show`) through ckanapi.

Transient failures (HTTP 5xx, timeouts, lost connections) are tried again with exponential
backoff, all tries of one page within a wall-clock limit; what still fails raises
`CatalogueSourceError` with one message an organizer can act on.
"""

import datetime as dt
import json
import logging
import time

import ckanapi
import requests
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .ckan import CatalogueSourceError, is_public
from .deadline import Watchdog, watched_session

logger = logging.getLogger(__name__)

# CKAN accepts up to 1000 rows per page; smaller pages keep memory and retries cheap.
PAGE_SIZE = 1000
# (connect, read) seconds: a portal that stalls fails the sync instead of hanging a worker.
TIMEOUT = (10, 60)
# Wall-clock seconds for one page (or one package_show), retries included: the socket timeout
# bounds each read, so a portal sending one byte at a time would never trip it alone.
PAGE_TIME_LIMIT = 300
# Transient failures are tried again RETRIES times, waiting BACKOFF s, then twice as long each time.
RETRIES = 3
BACKOFF = 2.0
# HTTP statuses worth another try: the portal or its proxy is overloaded or restarting.
TRANSIENT_STATUSES = {408, 429, 500, 502, 503, 504}
# Ids never change, so a dataset edited while the sync pages (its metadata_modified moves)
# keeps its place, and no other dataset slides from an unread page into a read one.
SORT = "id asc"
# A full sync asks the portal about each dataset its pages missed before withdrawing it; past
# this many, the rest wait for the next full sync (never withdrawn unchecked).
MAX_WITHDRAWAL_CHECKS = 500
# Re-read what changed a little before the previous sync, in case clocks disagree.
INCREMENTAL_MARGIN = dt.timedelta(hours=1)
MAX_PAGES = 10_000
USER_AGENT = "hackqc-catalogue-sync (+https://github.com/ckan/ckanapi)"


class TransientSourceError(CatalogueSourceError):
    """A failure that another try may not meet (HTTP 5xx, timeout, lost connection)."""


class DeadlineError(CatalogueSourceError):
    """The portal took longer than PAGE_TIME_LIMIT for one reply, retries included."""


class _ActionAPIClient(ckanapi.RemoteCKAN):
    """ckanapi pointed at a full Action API base URL, turning HTTP failures into messages.

    ckanapi appends `api/action/<name>` to a site address; portals are configured by their
    Action API URL (`…/api/3/action/`), so the action name is appended to it directly. Each
    call gets a fresh connection watched until `deadline` (time.monotonic()).
    """

    base_url = ""

    def _request_fn_get(self, url, data_dict, headers, requests_kwargs):
        deadline = requests_kwargs.pop("deadline")
        status, body = self._get(url, data_dict, headers, requests_kwargs, deadline)
        try:
            reply = json.loads(body)
        except ValueError:
            reply = None
        # CKAN answers its own 500s in JSON too: worth another try all the same.
        if status in TRANSIENT_STATUSES or not isinstance(reply, dict) or "success" not in reply:
            raise _http_error(status, url)
        return status, body

    def _get(self, url, data_dict, headers, requests_kwargs, deadline):
        seconds = deadline - time.monotonic()
        if seconds <= 0:
            raise _deadline_error(url)
        with watched_session() as session, Watchdog(seconds) as watchdog:
            try:
                response = session.get(url, params=data_dict, headers=headers, **requests_kwargs)
                status, body = response.status_code, response.text
            except requests.RequestException as exc:
                if watchdog.expired:
                    raise _deadline_error(url) from None
                raise _request_error(exc, url) from None
            # The cut connection may have ended the body early and still look like a reply.
            if watchdog.expired:
                raise _deadline_error(url)
        return status, body


def _deadline_error(url):
    return DeadlineError(
        ngettext(
            "The portal took more than %(seconds)s second to answer (%(url)s).",
            "The portal took more than %(seconds)s seconds to answer (%(url)s).",
            PAGE_TIME_LIMIT,
        )
        % {"seconds": PAGE_TIME_LIMIT, "url": url}
    )


def _request_error(exc, url):
    if isinstance(exc, requests.Timeout):
        return TransientSourceError(
            _("The portal did not answer in time (%(url)s).") % {"url": url}
        )
    error = CatalogueSourceError
    if isinstance(exc, requests.ConnectionError | requests.exceptions.ChunkedEncodingError):
        error = TransientSourceError
    return error(_("Could not reach the portal (%(url)s): %(error)s.") % {"url": url, "error": exc})


def _http_error(status, url):
    """The error for a reply that is not the Action API's JSON."""
    if status == 404:
        return CatalogueSourceError(
            _(
                "The portal answered HTTP 404 (%(url)s): is it a CKAN Action API URL, "
                "ending in /api/3/action/?"
            )
            % {"url": url}
        )
    if status >= 400:
        error = TransientSourceError if status in TRANSIENT_STATUSES else CatalogueSourceError
        return error(
            _("The portal answered HTTP %(status)s (%(url)s).") % {"status": status, "url": url}
        )
    return CatalogueSourceError(
        _("The portal's reply is not a CKAN API reply (%(url)s).") % {"url": url}
    )


def _refused(action, exc):
    message = exc.args[0] if exc.args else exc
    if type(exc) is ckanapi.errors.CKANAPIError:
        # ckanapi's catch-all carries repr([url, status, body]): not for organizers' eyes.
        message = _("an error it did not explain")
    elif isinstance(message, dict):
        message = message.get("message") or message
    return CatalogueSourceError(
        _("The portal refused %(action)s: %(message)s.") % {"action": action, "message": message}
    )


def _gave_up(exc, attempts):
    return CatalogueSourceError(
        ngettext(
            "%(error)s Gave up after %(count)s attempt.",
            "%(error)s Gave up after %(count)s attempts.",
            attempts,
        )
        % {"error": exc, "count": attempts}
    )


class PortalSource:
    """Pages of `package_search` from a CKAN Action API, in a stable order (by id)."""

    # A full sync may ask the portal about the datasets its pages missed before withdrawing.
    checks_withdrawals = True

    def __init__(self, api_url, *, since=None, page_size=None, timeout=None):
        self.api_url = api_url.rstrip("/") + "/"
        self.since = since
        self.page_size = page_size or PAGE_SIZE
        self.timeout = timeout or TIMEOUT

    def __str__(self):
        return self.api_url

    def _client(self):
        return _ActionAPIClient(self.api_url.rstrip("/"), user_agent=USER_AGENT, get_only=True)

    def _call(self, client, action, params):
        """One Action API call, tried again after a transient failure with exponential
        backoff, every try within PAGE_TIME_LIMIT seconds of the first. ckanapi's errors
        (the portal refused the call) are left to the caller."""
        deadline = time.monotonic() + PAGE_TIME_LIMIT
        for attempt in range(1, RETRIES + 2):
            try:
                return client.call_action(
                    action, params, requests_kwargs={"timeout": self.timeout, "deadline": deadline}
                )
            except TransientSourceError as exc:
                pause = BACKOFF * 2 ** (attempt - 1)
                if attempt > RETRIES or time.monotonic() + pause >= deadline:
                    raise _gave_up(exc, attempt) from None
                logger.debug("%s failed (%s), try %s in %s s", action, exc, attempt + 1, pause)
                time.sleep(pause)
        raise AssertionError("unreachable")  # pragma: no cover

    def _search(self, client, start):
        params = {"rows": self.page_size, "start": start, "sort": SORT}
        if self.since:
            since = (self.since - INCREMENTAL_MARGIN).astimezone(dt.UTC)
            params["fq"] = f"metadata_modified:[{since:%Y-%m-%dT%H:%M:%SZ} TO *]"
        try:
            result = self._call(client, "package_search", params)
        except ckanapi.errors.CKANAPIError as exc:
            raise _refused("package_search", exc) from None
        if (
            not isinstance(result, dict)
            or not isinstance(result.get("results"), list)
            or not isinstance(result.get("count"), int)
        ):
            raise CatalogueSourceError(
                _("The portal's package_search reply has no count and results.")
            )
        return result

    def pages(self):
        """Yields (raw packages, total announced) per page."""
        with self._client() as client:
            start = 0
            for _page in range(MAX_PAGES):
                result = self._search(client, start)
                yield result["results"], result["count"]
                start += len(result["results"])
                if not result["results"] or start >= result["count"]:
                    return
        raise CatalogueSourceError(_("The portal kept sending pages; the sync stopped."))

    def still_listed(self, ckan_ids):
        """Asks the portal (`package_show`) about datasets its pages did not list.

        Returns {id: raw package} for those it still shows publicly, and the ids it could not
        tell about: after a failure (retries spent), every id not yet asked is unknown too.
        """
        shown, unknown = {}, []
        with self._client() as client:
            for index, ckan_id in enumerate(ckan_ids):
                try:
                    raw = self._call(client, "package_show", {"id": str(ckan_id)})
                except (ckanapi.errors.NotFound, ckanapi.errors.NotAuthorized):
                    continue  # deleted, or private: anonymous users get one of these
                except (ckanapi.errors.CKANAPIError, CatalogueSourceError) as exc:
                    logger.info("package_show %s failed (%s); not withdrawing", ckan_id, exc)
                    unknown.extend(ckan_ids[index:])
                    break
                if not isinstance(raw, dict):
                    unknown.append(ckan_id)
                elif is_public(raw):
                    shown[ckan_id] = raw
        return shown, unknown
