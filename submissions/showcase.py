"""Export of a project as a ckanext-showcase payload, for publishing it on the portal.

`showcase` holds the fields of `ckanext_showcase_create`; `package_ids` the CKAN ids to pass
to `ckanext_showcase_package_association_create`, one call each.
"""

import re

from django.conf import settings
from django.utils.text import slugify

TAG_UNSAFE = re.compile(r"[^\w \-.]", re.UNICODE)


def showcase_payload(submission, data: dict, *, project_url: str) -> dict:
    """`data` is a version snapshot (or a live one); `project_url` the absolute page URL."""
    title = data.get("title") or submission.team.name
    return {
        "showcase": {
            "name": showcase_name(submission, title),
            "title": title,
            "notes": _notes(data),
            "url": data.get("demo_url") or data.get("repository_url") or project_url,
            "image_url": _media_url(data.get("logo")),
            "tags": [{"name": name} for name in _tags(data)],
        },
        "package_ids": [entry["ckan_id"] for entry in data.get("datasets", [])],
    }


def showcase_name(submission, title) -> str:
    """CKAN names: 2 to 100 characters, lowercase ASCII letters, digits, - and _."""
    base = slugify(f"{submission.edition.slug}-{title}")[:90].strip("-")
    return f"{base}-{submission.pk}"[:100]


def _notes(data):
    parts = [data.get("pitch", ""), data.get("description", "")]
    if data.get("repository_url"):
        parts.append(data["repository_url"])
    return "\n\n".join(part for part in parts if part)


def _tags(data):
    names = [*data.get("technologies", []), "hackqc"]
    cleaned = []
    for name in names:
        tag = TAG_UNSAFE.sub("", name).strip()[:100]
        if len(tag) >= 2 and tag.lower() not in {t.lower() for t in cleaned}:
            cleaned.append(tag)
    return cleaned


def _media_url(name):
    if not name:
        return ""
    return f"{settings.SITE_URL}{settings.MEDIA_URL}{name}"
