"""Reading CKAN packages: parsing and validating them, and files of recorded replies.

Everything here only reads and parses; nothing touches the database or the network (the Action
API is read by `portal_api`). Failures that stop a sync raise `CatalogueSourceError` with a
message an organizer can act on; a malformed package is not a failure, it becomes a
`SkippedPackage` and the rest goes on.
"""

import datetime as dt
import hashlib
import json
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from hackqc.exceptions import HackQCError


class CatalogueSourceError(HackQCError):
    """The portal or the file could not be read: the sync stops and writes nothing."""


@dataclass(frozen=True)
class SkippedPackage:
    """A package left out of the catalogue. A malformed one is still `listed` by the portal:
    its `ckan_id` or `name` finds its stored dataset, which stays (never withdrawn)."""

    label: str
    reason: str
    ckan_id: uuid.UUID | None = None
    name: str = ""
    listed: bool = False

    @property
    def identified(self):
        return self.ckan_id is not None or bool(self.name)

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


def _name_or_blank(raw):
    name = raw.get("name") if isinstance(raw, dict) else None
    return name.strip()[:200] if isinstance(name, str) else ""


def is_public(raw):
    return not (
        isinstance(raw, dict) and (raw.get("private") or raw.get("state", "active") != "active")
    )


def parse_packages(raws, *, offset=0):
    """Split raw packages into valid `Package`s and `SkippedPackage`s."""
    packages, skipped = [], []
    for index, raw in enumerate(raws, start=offset + 1):
        if not is_public(raw):
            skipped.append(SkippedPackage(package_label(raw, index), gettext("not public")))
            continue
        try:
            packages.append(parse_package(raw))
        except MalformedPackageError as exc:
            skipped.append(
                SkippedPackage(
                    package_label(raw, index),
                    str(exc),
                    ckan_id=_uuid_or_none(raw),
                    name=_name_or_blank(raw),
                    listed=True,
                )
            )
    return packages, skipped


class FileSource:
    """Recorded replies: a package_search or package_show reply, a list of them, or JSON lines."""

    # The file is the whole listing: nobody to ask about what it leaves out.
    checks_withdrawals = False

    def __init__(self, path):
        self.path = Path(path)
        self._items = None

    def __str__(self):
        return str(self.path)

    def items(self):
        """The file's JSON values (replies or bare packages), read once."""
        if self._items is None:
            try:
                text = self.path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CatalogueSourceError(
                    _("Could not read %(path)s: %(error)s.") % {"path": self.path, "error": exc}
                ) from None
            self._items = _items(text, source=str(self.path))
        return self._items

    def pages(self):
        packages = []
        for item in self.items():
            packages.extend(_unwrap(item, str(self.path)))
        yield packages, len(packages)

    def api_urls(self):
        """The Action API URLs the replies say they come from (their `help` link), if any."""
        urls = set()
        for item in self.items():
            help_url = item.get("help") if isinstance(item, dict) else None
            if isinstance(help_url, str) and "/help_show" in help_url:
                url = help_url.split("/help_show", 1)[0] + "/"
                if urlsplit(url).scheme in {"http", "https"} and urlsplit(url).netloc:
                    urls.add(url)
        return urls


def _unwrap(item, source):
    """Packages from one reply or one bare package; a `{"_comment": …}` line is skipped."""
    if isinstance(item, dict) and set(item) == {"_comment"}:
        return []
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


def _items(text, *, source):
    try:
        data = json.loads(text)
    except ValueError:
        try:
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
        except ValueError:
            raise CatalogueSourceError(
                _("%(source)s is neither JSON nor JSON lines.") % {"source": source}
            ) from None
    return data if isinstance(data, list) else [data]


def packages_from_text(text, *, source):
    """Raw packages from the text of a recorded reply, a list of replies, or JSON lines."""
    packages = []
    for item in _items(text, source=source):
        packages.extend(_unwrap(item, source))
    return packages
