"""Consents and their history: each change is a row, written by the service that changes it.

`SHOW_PROFILE_VERSION` names the text of the consent to be shown (teams' registration
form); change it whenever that text changes, so each row says which text was agreed to.
"""

from .models import ConsentChange

SHOW_PROFILE_VERSION = "2026-12"
Consent = ConsentChange.Consent


def record_consent(user, *, edition, consent, given, by, version="") -> ConsentChange | None:
    """Records that `user` gave or withdrew `consent`; nothing when it is unchanged. Call it
    inside the service that changes the consent (same transaction)."""
    if consent == Consent.SHOW_PROFILE and not version:
        version = SHOW_PROFILE_VERSION
    last = (
        ConsentChange.objects.filter(user=user, edition=edition, consent=consent)
        .order_by("-at", "-pk")
        .first()
    )
    if last is not None and last.given == given and last.version == version:
        return None
    return ConsentChange.objects.create(
        user=user, edition=edition, consent=consent, given=given, version=version, by=by
    )


def consents_in_force(user) -> list[ConsentChange]:
    """The latest change of each consent, per edition: the consents in force."""
    latest = {}
    for change in (
        ConsentChange.objects.filter(user=user).select_related("edition").order_by("at", "pk")
    ):
        latest[(change.edition_id, change.consent)] = change
    return sorted(latest.values(), key=lambda c: (c.edition_id or 0, c.consent), reverse=True)


def history(user) -> list[ConsentChange]:
    return list(
        ConsentChange.objects.filter(user=user)
        .select_related("edition", "by")
        .order_by("-at", "-pk")
    )
