"""What changed between two submitted versions: words within each text, items in lists."""

import difflib
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .snapshots import COMPARED_KEYS

TEXT_KEYS = {
    "title",
    "pitch",
    "description",
    "achievements",
    "difficulties",
    "lessons",
    "next_steps",
    "repository_url",
    "licence",
    "demo_url",
    "video_url",
}
# Texts are compared sentence by sentence, then word by word inside a changed stretch of at
# most this many words a side (difflib is quadratic on very different inputs): any text the
# sheet accepts is compared in milliseconds.
WORD_LIMIT = 200
_TOKENS = re.compile(r"\s+|[^\s]+")
_SENTENCES = re.compile(r"[^\n.!?]*(?:[.!?]+|\n+|$)\s*")


@dataclass
class FieldChange:
    key: str
    label: str
    parts: list = field(default_factory=list)  # [(op, text)], op: "same", "ins", "del"
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    usage_changed: list = field(default_factory=list)  # datasets kept, usage text edited


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The new text as runs kept, inserted and deleted: sentences first, then words within
    each changed stretch of sentences."""
    old_parts, new_parts = _sentences(old or ""), _sentences(new or "")
    # autojunk: a sentence repeated hundreds of times would make the match quadratic.
    matcher = difflib.SequenceMatcher(None, old_parts, new_parts, autojunk=True)
    parts = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(old_parts[i1:i2]), "".join(new_parts[j1:j2])
        if op == "equal":
            parts.append(("same", before))
        else:
            parts.extend(_words(before, after))
    return _merged(parts)


def _sentences(text):
    return [piece for piece in _SENTENCES.findall(text) if piece]


def _words(old, new):
    old_tokens, new_tokens = _TOKENS.findall(old), _TOKENS.findall(new)
    if max(len(old_tokens), len(new_tokens)) > 2 * WORD_LIMIT:
        return [(op, text) for op, text in (("del", old), ("ins", new)) if text]
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    parts = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("same", "".join(old_tokens[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("del", "".join(old_tokens[i1:i2])))
        if j2 > j1:
            parts.append(("ins", "".join(new_tokens[j1:j2])))
    return parts


def _merged(parts):
    """Neighbouring runs of the same kind as one."""
    merged = []
    for op, text in parts:
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    return merged


def _items(key, data) -> dict:
    """The list-like parts of a snapshot as {identity: label}."""
    value = data.get(key)
    if key == "datasets":
        return {entry.get("id"): entry.get("title", "") for entry in value or []}
    if key == "technologies":
        return {name.lower(): name for name in value or []}
    if key == "libraries":
        return {
            (lib["name"].lower(), lib["version"]): f"{lib['name']} {lib['version']}"
            for lib in value or []
        }
    if key == "screenshots":
        return {shot.get("image"): shot.get("alt_text", "") for shot in value or []}
    if key == "challenge":
        return {value["id"]: _("Challenge %(number)s: %(title)s") % value} if value else {}
    if key == "welcomes_members":
        return {bool(value): _("Welcomes new members") if value else _("Not looking for members")}
    if key == "logo":
        return {value: _("Logo")} if value else {}
    return {}


def diff_snapshots(old: dict, new: dict) -> list[FieldChange]:
    """Each part of the sheet that differs, in the sheet's order."""
    changes = []
    for key, label in COMPARED_KEYS:
        if old.get(key) == new.get(key):
            continue
        change = FieldChange(key=key, label=str(label))
        if key in TEXT_KEYS:
            change.parts = word_diff(str(old.get(key) or ""), str(new.get(key) or ""))
        else:
            before, after = _items(key, old), _items(key, new)
            change.added = [after[k] for k in after if k not in before]
            change.removed = [before[k] for k in before if k not in after]
            if key == "datasets":
                # Same datasets, other usage text: say which.
                changed_usage = [
                    after[k] for k in after if k in before and _usage(old, k) != _usage(new, k)
                ]
                change.usage_changed = changed_usage
        changes.append(change)
    return changes


def _usage(data, dataset_id):
    for entry in data.get("datasets") or []:
        if entry.get("id") == dataset_id:
            return (entry.get("usage"), entry.get("resources"))
    return None
