"""The audit log: what organizers (and the site on their behalf) did, when, to what.

Each app names its actions once, at module level, with the label the log shows:

    PUBLISHED = audit.action("results.published", _("Published the results"))

and its services record them inside their own transaction, so an action and its entry
commit or roll back together:

    audit.record(PUBLISHED, actor=by, edition=edition, target=round, scheduled_for=when)

Entries are append-only (`hackqc.models.AuditEntry`). Details must be JSON-safe and hold
ids and facts, never a person's name or address: a person is referred to by a target or an
actor, resolved when shown, so Law 25 erasure reaches the log as well.
"""

from django.contrib.auth import get_user_model

from hackqc.models import AuditEntry
from hackqc.privacy.registry import personal_data_of

# Every action code with its label, registered by the modules that record them.
ACTIONS: dict[str, object] = {}


def action(code: str, label) -> str:
    """Registers `code` (dotted, "<area>.<what>") with its translated label; returns it."""
    if len(code) > AuditEntry._meta.get_field("action").max_length:
        raise ValueError(f"audit action code too long: {code}")
    if ACTIONS.get(code, label) != label:
        raise ValueError(f"audit action {code} registered twice with different labels")
    ACTIONS[code] = label
    return code


def label(code: str):
    return ACTIONS.get(code, code)


def record(code: str, *, actor, edition=None, target=None, **details) -> AuditEntry:
    """Writes one entry. `actor` is a user or None (the site itself: a task, a command)."""
    if code not in ACTIONS:
        raise ValueError(f"unregistered audit action: {code}")
    target_type, target_id, target_label = _target(target)
    details = {**_owner_key(target), **details}
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        edition=edition,
        action=code,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        details=details,
    )


def _target(target) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if isinstance(target, str):
        return "", "", target[:200]
    meta = getattr(target, "_meta", None)
    if meta is None:
        return "", "", str(target)[:200]
    if meta.label_lower == get_user_model()._meta.label_lower:
        # A person: resolved when shown (see the module's docstring).
        return meta.label_lower, str(target.pk), ""
    if personal_data_of(meta.label) is not None:
        # A row that belongs to a person (a registration, a membership): its text may hold
        # their name, so it is stored as a key, shown with its owner resolved at reading.
        return meta.label_lower, str(target.pk), f"{meta.verbose_name} #{target.pk}"[:200]
    return meta.label_lower, str(target.pk), str(target)[:200]


def _owner_key(target) -> dict:
    """`{"person": <user id>}` for a target that belongs to a person, else nothing."""
    meta = getattr(target, "_meta", None)
    entry = personal_data_of(meta.label) if meta is not None else None
    if entry is None:
        return {}
    owner = target
    for step in entry.owner.split("__"):
        owner = getattr(owner, step, None)
    return {"person": owner.pk} if getattr(owner, "pk", None) else {}


def entries_for(edition=None):
    """The log, newest first: one edition's, or the whole site's when `edition` is None."""
    entries = AuditEntry.objects.select_related("actor", "edition")
    if edition is not None:
        entries = entries.filter(edition=edition)
    return entries.order_by("-at", "-pk")


def with_people(entries) -> list[AuditEntry]:
    """`entries` (a page of them) with `target_person` set where the target is a person,
    fetched in one query."""
    entries = list(entries)
    user_label = get_user_model()._meta.label_lower
    ids = {_person_id(e, user_label) for e in entries} - {None}
    people = get_user_model().objects.in_bulk(ids) if ids else {}
    for entry in entries:
        entry.action_label = label(entry.action)
        entry.target_person = people.get(_person_id(entry, user_label))
    return entries


def _person_id(entry, user_label) -> int | None:
    """The person an entry is about: its target, or the owner of its target row."""
    if entry.target_type == user_label:
        return int(entry.target_id) if entry.target_id.isdigit() else None
    person = entry.details.get("person") if isinstance(entry.details, dict) else None
    return person if isinstance(person, int) else None
