"""Field-by-field resolution of a save that lost the race to a teammate's save.

The sheet form carries a digest of every field as it was when the page was loaded (`base`).
On a stale save, each field is compared three ways: what the person posted, what is saved
now, and the base. A field only the teammate changed takes the saved text; a field only the
person changed keeps theirs; a field both changed differently is a conflict, shown side by
side, with the person's own text kept in the form.
"""

import hashlib
import json
from dataclasses import dataclass, field

# The sheet's fields in the form's order; technologies and libraries are one value each.
MERGED_FIELDS = (
    "title",
    "pitch",
    "description",
    "challenge",
    "welcomes_members",
    "technologies",
    "libraries",
    "achievements",
    "difficulties",
    "lessons",
    "next_steps",
    "repository_url",
    "licence",
    "demo_url",
    "video_url",
)


def _canonical(name, value) -> str:
    """One text per value, the same whether it comes from the form or the database."""
    if name == "technologies":
        # Technologies are matched without case by the service: "leaflet" is "Leaflet".
        return ", ".join(
            sorted({" ".join(str(n).split()).lower() for n in value or [] if str(n).strip()})
        )
    if name == "libraries":
        return "\n".join(f"{lib} {version}".strip() for lib, version in value or [])
    if name == "welcomes_members":
        return "1" if value else ""
    if name == "challenge":
        return str(getattr(value, "pk", value) or "")
    return "" if value is None else str(value).replace("\r\n", "\n")


def _digest_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def saved_values(submission) -> dict:
    """The sheet's current values, keyed like MERGED_FIELDS: its technologies and libraries
    as prefetched with it (what the page shows), else read now."""
    values = {name: getattr(submission, name) for name in MERGED_FIELDS[:5]}
    values["challenge"] = submission.challenge
    values["technologies"] = [technology.name for technology in submission.technologies.all()]
    values["libraries"] = [
        (library.name, library.version) for library in submission.libraries.all()
    ]
    values.update({name: getattr(submission, name) for name in MERGED_FIELDS[7:]})
    return values


def digest(values: dict) -> str:
    """The compact fingerprint of a sheet, put in the form as the base of later saves."""
    return json.dumps(
        {name: _digest_of(_canonical(name, values.get(name))) for name in MERGED_FIELDS},
        separators=(",", ":"),
    )


def _parse_digest(text: str) -> dict:
    try:
        parsed = json.loads(text or "{}")
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


@dataclass
class Merge:
    """The outcome: `values` to show in the form; field names by how they were settled."""

    values: dict
    taken: list = field(default_factory=list)  # only the teammate changed: their text
    conflicts: list = field(default_factory=list)  # both changed: the person's text kept


def merge(base: str, posted: dict, saved: dict) -> Merge:
    """Settles each field; without a readable base every differing field is a conflict."""
    base_digests = _parse_digest(base)
    result = Merge(values=dict(posted))
    for name in MERGED_FIELDS:
        mine = _canonical(name, posted.get(name))
        theirs = _canonical(name, saved.get(name))
        if mine == theirs:
            continue
        original = base_digests.get(name)
        if original == _digest_of(mine):
            result.values[name] = saved.get(name)
            result.taken.append(name)
        elif original == _digest_of(theirs):
            continue
        else:
            result.conflicts.append(name)
    return result


def display(name, value) -> str:
    """The value as a person reads it, for the side-by-side view of a conflict."""
    if name == "challenge":
        return str(value or "")
    if name == "welcomes_members":
        return "✓" if value else "✗"
    if name == "technologies":
        return ", ".join(value or [])
    return _canonical(name, value)
