"""Organizers correcting a person's registration or consent on their behalf.

Who may is one predicate (`teams.permissions.can_correct_registration`); every correction
states a reason, which the person reads in their mail and which is kept on the
`RegistrationCorrection` (erased with the account), while the audit log keeps what changed
by ids and codes only.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hackqc import audit
from hackqc.privacy.consents import Consent, record_consent
from hackqc.roles import Role, check_role_free
from hackqc.service import service

from .. import mails
from ..exceptions import RegistrationError
from ..models import Membership, Registration, RegistrationCorrection
from ._seats import seat_registration, team_site_of

CORRECTED = audit.action("registration.corrected", gettext_lazy("Corrected a registration"))

# What an organizer may correct; the rest of a profile is the person's own to write.
CORRECTABLE = (
    "role",
    "host_site",
    "organisation",
    "dietary_needs",
    "accessibility_needs",
    "show_profile",
)
# Free text, possibly sensitive (needs): the log and the correction say that it changed,
# never what it says.
FREE_TEXT = ("organisation", "dietary_needs", "accessibility_needs")
REASON_MAX_LENGTH = 1000


@service
def correct_registration(registration, *, by, reason, **changes):
    """Changes the fields of `changes` (among `CORRECTABLE`) of `registration` for the
    person, as `by`, an organizer of its edition, for a stated `reason`.

    The host site moves through the seats service (refused when the site is full); a
    changed consent is recorded in the person's consent history with `by` as its author.
    Writes the row, a `RegistrationCorrection` and an audit entry, and promises the person
    a mail in their language. Refused, with nothing written, when nothing changes.
    """
    from ..permissions import can_correct_registration

    if unknown := set(changes) - set(CORRECTABLE):
        raise TypeError(f"not correctable: {sorted(unknown)}")
    edition = registration.edition
    if not can_correct_registration(by, edition):
        raise RegistrationError(
            _("Only the organizers of %(edition)s can correct its registrations.")
            % {"edition": edition.name}
        )
    reason = _check_reason(reason)
    # The row only (not the person's account row): two corrections of one registration
    # queue here, and each compares with what the other saved.
    stored = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("user", "edition", "host_site")
        .get(pk=registration.pk)
    )
    old_site = stored.host_site
    diff = _differences(stored, changes)
    if not diff:
        raise RegistrationError(_("Nothing was changed: correct at least one field."))
    if "role" in diff:
        _check_role(stored, diff["role"][1])
    if "host_site" in diff:
        _move(stored, changes["host_site"])
    for name in diff.keys() - {"host_site"}:
        setattr(stored, name, changes[name])
    if fields := sorted(diff.keys() - {"host_site"}):
        stored.save(update_fields=fields)
    if "show_profile" in diff:
        record_consent(
            stored.user, edition=edition, consent=Consent.SHOW_PROFILE, given=stored.show_profile,
            by=by,
        )  # fmt: skip
    correction = RegistrationCorrection.objects.create(
        registration=stored, by=by, reason=reason, changes=diff
    )
    audit.record(
        CORRECTED, actor=by, edition=edition, target=stored, correction=correction.pk,
        **_for_the_log(diff, old_site=old_site, new_site=stored.host_site),
    )  # fmt: skip
    mails.mail_corrected(correction)
    return stored


def _check_reason(reason) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise RegistrationError(
            _("State the reason for the correction: the person receives it by mail."),
            field="reason",
        )
    if "\x00" in reason or len(reason) > REASON_MAX_LENGTH:
        raise RegistrationError(
            _("The reason must be plain text of at most %(count)s characters.")
            % {"count": REASON_MAX_LENGTH},
            field="reason",
        )
    return reason


def _differences(stored, changes) -> dict:
    """field -> [old, new] for what actually changes: ids and codes as they are, free text
    as `True` (changed) only."""
    diff = {}
    for name, new in changes.items():
        if name == "host_site":
            old_id, new_id = stored.host_site_id, getattr(new, "pk", None)
            if old_id != new_id:
                diff[name] = [old_id, new_id]
            continue
        old = getattr(stored, name)
        if old == new:
            continue
        diff[name] = True if name in FREE_TEXT else [old, new]
    return diff


def _for_the_log(diff, *, old_site, new_site) -> dict:
    """Each change as the log shows it, "old → new": codes, yes/no and the sites' names
    (public); free text only as "changed"."""
    shown = {}
    for name, change in diff.items():
        if change is True:
            shown[name] = "changed"
        elif name == "host_site":
            shown[name] = f"{getattr(old_site, 'name', '—')} → {getattr(new_site, 'name', '—')}"
        else:
            shown[name] = " → ".join(str(value) for value in change)
    return shown


def _check_role(stored, role):
    if role not in Registration.Role.values:
        raise RegistrationError(_("Choose a role of the list."), field="role")
    in_team = Membership.objects.filter(edition=stored.edition_id, user=stored.user_id).exists()
    if in_team and role != Registration.Role.PARTICIPANT:
        raise RegistrationError(
            _(
                "%(person)s is a member of a team: move them out of it first (Teams page); "
                "mentors and volunteers cannot be team members."
            )
            % {"person": stored.user},
            field="role",
        )
    if role == Registration.Role.PARTICIPANT:
        check_role_free(stored.edition, stored.user, Role.PARTICIPANT)


def _move(stored, site):
    team_site = team_site_of(stored)
    if team_site is not None and site != team_site:
        raise RegistrationError(
            _(
                "%(person)s comes with their team, to %(site)s: change the team's host site, "
                "or move them out of the team first."
            )
            % {"person": stored.user, "site": team_site.name},
            field="host_site",
        )
    seat_registration(stored, site)
