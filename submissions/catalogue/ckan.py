"""Reading CKAN catalogues: the Action API through ckanapi, or a file of recorded replies.

Everything here only reads and parses; nothing touches the database. Failures that stop a sync
raise `CatalogueSourceError` with a message an organizer can act on; a malformed package is
not a failure, it becomes a `SkippedPackage` and the rest goes on.
"""

import datetime as dt
import hashlib
import json
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import ckanapi
import requests
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from hackqc.exceptions import HackQCError

# CKAN accepts up to 1000 rows per page; smaller pages keep memory and retries cheap.
PAGE_SIZE = 1000
# (connect, read) seconds: a portal that stalls fails the sync instead of hanging a worker.
TIMEOUT = (10, 60)
# Re-read what changed a little before the previous sync, in case clocks disagree.
INCREMENTAL_MARGIN = dt.timedelta(hours=1)
MAX_PAGES = 10_000
USER_AGENT = "hackqc-catalogue-sync (+https://github.com/ckan/ckanapi)"


class CatalogueSourceError(HackQCError):
    """The portal or the file could not be read: the sync stops and writes nothing."""


@dataclass(frozen=True)
class SkippedPackage:
    label: str
    reason: str
    ckan_id: uuid.UUID | None = None

    def as_dict(self):
        return {"package": self.label, "reason": self.reason}


@dataclass
class Package:
    """One CKAN package, validated and normalised, ready to be stored."""

    ckan_id: uuid.UUID
    name: str
    title: str
    description: str
    organization: dict | None
    licence: dict | None
    tags: list
    groups: list
    resources: list
    formats: list
    metadata_modified: dt.datetime | None
    checksum: str = field(default="")

    def __post_init__(self):
        payload = json.dumps(
            [
                self.name,
                self.title,
                self.description,
                self.organization,
                self.licence,
                self.tags,
                self.groups,
                self.resources,
                self.metadata_modified.isoformat() if self.metadata_modified else None,
            ],
            sort_keys=True,
        )
        self.checksum = hashlib.sha256(payload.encode()).hexdigest()


class MalformedPackageError(ValueError):
    pass


def strip_accents(text):
    """Lower-case text without diacritics: "Énergie" → "energie"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _text(value, *, lang="fr"):
    """A CKAN text that may be translated ({"fr": …, "en": …}, as on open.canada.ca)."""
    if isinstance(value, dict):
        value = value.get(lang) or value.get("en") or next(iter(value.values()), "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise MalformedPackageError(gettext("a text field is not text"))
    return value.strip()


def _translated(raw, key):
    """French first where the portal translates (open.canada.ca's `title_translated`)."""
    return _text(raw.get(f"{key}_translated") or raw.get(key))


def _required(raw, key, max_length):
    value = _translated(raw, key)
    if not value:
        raise MalformedPackageError(gettext("no %(field)s") % {"field": key})
    if len(value) > max_length:
        raise MalformedPackageError(gettext("%(field)s is too long") % {"field": key})
    return value


def _datetime(value):
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise MalformedPackageError(gettext("metadata_modified is not a date")) from None
    if timezone.is_naive(parsed):
        # CKAN writes its timestamps in UTC without an offset.
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def _organization(raw):
    org = raw.get("organization")
    if not org:
        return None
    if not isinstance(org, dict) or not org.get("id") or not org.get("name"):
        raise MalformedPackageError(gettext("the organisation has no id or name"))
    return {
        "ckan_id": str(org["id"])[:100],
        "name": str(org["name"])[:200],
        "title": (_text(org.get("title")) or str(org["name"]))[:300],
    }


def _licence(raw):
    licence_id = raw.get("license_id")
    if not licence_id:
        return None
    url = raw.get("license_url") or ""
    return {
        "ckan_id": str(licence_id)[:100],
        "title": _text(raw.get("license_title"))[:300],
        "url": url[:500] if str(url).startswith(("http://", "https://")) else "",
    }


def _tags(raw):
    tags = raw.get("tags") or []
    if not isinstance(tags, list):
        raise MalformedPackageError(gettext("tags is not a list"))
    names = {
        " ".join(_text(tag.get("name") if isinstance(tag, dict) else tag).lower().split())
        for tag in tags
    }
    return sorted(name for name in names if name)


def _groups(raw):
    groups = raw.get("groups") or []
    if not isinstance(groups, list):
        raise MalformedPackageError(gettext("groups is not a list"))
    found = {}
    for group in groups:
        if isinstance(group, dict) and group.get("name"):
            name = str(group["name"])[:200]
            found[name] = {"name": name, "title": (_text(group.get("title")) or name)[:300]}
    return [found[name] for name in sorted(found)]


def _resources(raw):
    resources = raw.get("resources") or []
    if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
        raise MalformedPackageError(gettext("resources is not a list of objects"))
    return [
        {
            "id": str(resource.get("id") or ""),
            "name": _text(resource.get("name"))[:300],
            "format": _text(resource.get("format")).upper().lstrip(".")[:50],
            "url": str(resource.get("url") or ""),
            "type": str(resource.get("resource_type") or ""),
        }
        for resource in resources
    ]


def parse_package(raw):
    """A `Package` from a CKAN package dict; raises `MalformedPackageError` with the reason."""
    if not isinstance(raw, dict):
        raise MalformedPackageError(gettext("not an object"))
    try:
        ckan_id = uuid.UUID(str(raw.get("id")))
    except ValueError:
        raise MalformedPackageError(gettext("id is not a UUID")) from None
    resources = _resources(raw)
    return Package(
        ckan_id=ckan_id,
        name=_required(raw, "name", 200),
        title=_required(raw, "title", 500),
        description=_translated(raw, "notes"),
        organization=_organization(raw),
        licence=_licence(raw),
        tags=_tags(raw),
        groups=_groups(raw),
        resources=resources,
        formats=sorted({r["format"] for r in resources if r["format"]}),
        metadata_modified=_datetime(raw.get("metadata_modified")),
    )


def package_label(raw, index):
    if isinstance(raw, dict):
        for key in ("name", "id", "title"):
            if isinstance(raw.get(key), str) and raw[key]:
                return raw[key][:200]
    return gettext("package #%(index)s") % {"index": index}


def _uuid_or_none(raw):
    try:
        return uuid.UUID(str(raw.get("id")))
    except (AttributeError, ValueError):
        return None


def parse_packages(raws, *, offset=0):
    """Split raw packages into valid `Package`s and `SkippedPackage`s."""
    packages, skipped = [], []
    for index, raw in enumerate(raws, start=offset + 1):
        if isinstance(raw, dict) and (raw.get("private") or raw.get("state", "active") != "active"):
            skipped.append(SkippedPackage(package_label(raw, index), gettext("not public")))
            continue
        try:
            packages.append(parse_package(raw))
        except MalformedPackageError as exc:
            skipped.append(SkippedPackage(package_label(raw, index), str(exc), _uuid_or_none(raw)))
    return packages, skipped


class _ActionAPIClient(ckanapi.RemoteCKAN):
    """ckanapi pointed at a full Action API base URL, turning HTTP failures into messages.

    ckanapi appends `api/action/<name>` to a site address; portals are configured by their
    Action API URL (`…/api/3/action/`), so the action name is appended to it directly.
    """

    base_url = ""

    def _request_fn_get(self, url, data_dict, headers, requests_kwargs):
        try:
            status, body = super()._request_fn_get(url, data_dict, headers, requests_kwargs)
        except requests.Timeout:
            raise CatalogueSourceError(
                _("The portal did not answer in time (%(url)s).") % {"url": url}
            ) from None
        except requests.RequestException as exc:
            raise CatalogueSourceError(
                _("Could not reach the portal (%(url)s): %(error)s.") % {"url": url, "error": exc}
            ) from None
        try:
            reply = json.loads(body)
        except ValueError:
            reply = None
        if not isinstance(reply, dict) or "success" not in reply:
            if status >= 400:
                raise CatalogueSourceError(
                    _("The portal answered HTTP %(status)s (%(url)s).")
                    % {"status": status, "url": url}
                )
            raise CatalogueSourceError(
                _("The portal's reply is not a CKAN API reply (%(url)s).") % {"url": url}
            )
        return status, body


def _refused(action, exc):
    message = exc.args[0] if exc.args else exc
    if isinstance(message, dict):
        message = message.get("message") or message
    return CatalogueSourceError(
        _("The portal refused %(action)s: %(message)s.") % {"action": action, "message": message}
    )


class PortalSource:
    """Pages of `package_search` from a CKAN Action API, oldest change first."""

    def __init__(self, api_url, *, since=None, page_size=None, timeout=None):
        self.api_url = api_url.rstrip("/") + "/"
        self.since = since
        self.page_size = page_size or PAGE_SIZE
        self.timeout = timeout or TIMEOUT

    def __str__(self):
        return self.api_url

    def _search(self, client, start):
        params = {"rows": self.page_size, "start": start, "sort": "metadata_modified asc, id asc"}
        if self.since:
            since = (self.since - INCREMENTAL_MARGIN).astimezone(dt.UTC)
            params["fq"] = f"metadata_modified:[{since:%Y-%m-%dT%H:%M:%SZ} TO *]"
        try:
            result = client.call_action(
                "package_search", params, requests_kwargs={"timeout": self.timeout}
            )
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
        address = self.api_url.rstrip("/")
        with _ActionAPIClient(address, user_agent=USER_AGENT, get_only=True) as client:
            start = 0
            for _page in range(MAX_PAGES):
                result = self._search(client, start)
                yield result["results"], result["count"]
                start += len(result["results"])
                if not result["results"] or start >= result["count"]:
                    return
        raise CatalogueSourceError(_("The portal kept sending pages; the sync stopped."))


class FileSource:
    """Recorded replies: a package_search or package_show reply, a list of them, or JSON lines."""

    def __init__(self, path):
        self.path = Path(path)

    def __str__(self):
        return str(self.path)

    def pages(self):
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CatalogueSourceError(
                _("Could not read %(path)s: %(error)s.") % {"path": self.path, "error": exc}
            ) from None
        packages = packages_from_text(text, source=str(self.path))
        yield packages, len(packages)


def _unwrap(item, source):
    """Packages from one reply or one bare package."""
    if isinstance(item, dict) and "success" in item:
        if item["success"] is not True:
            error = item.get("error") or {}
            message = error.get("message") if isinstance(error, dict) else error
            raise CatalogueSourceError(
                _("%(source)s holds a failed reply: %(message)s.")
                % {"source": source, "message": message}
            )
        item = item.get("result")
        if isinstance(item, dict) and isinstance(item.get("results"), list):
            return item["results"]
    return [item]


def packages_from_text(text, *, source):
    """Raw packages from the text of a recorded reply, a list of replies, or JSON lines."""
    try:
        data = json.loads(text)
    except ValueError:
        try:
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
        except ValueError:
            raise CatalogueSourceError(
                _("%(source)s is neither JSON nor JSON lines.") % {"source": source}
            ) from None
    items = data if isinstance(data, list) else [data]
    packages = []
    for item in items:
        packages.extend(_unwrap(item, source))
    return packages
