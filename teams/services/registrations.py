"""Registering for an edition, the profile shown to others, withdrawing."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hackqc.exceptions import PhaseClosedError
from hackqc.phases import are_teams_open, can_withdraw_registration, is_registration_open
from hackqc.privacy.consents import Consent, record_consent
from hackqc.roles import Role, check_role_free
from hackqc.service import service

from ..exceptions import RegistrationError
from ..models import JoinRequest, Membership, Registration
from ._common import current_rules_version, skills_from_names
from ._seats import seat_registration
from .sites import choose_host_site

PROFILE_FIELDS = (
    "organisation",
    "participant_type",
    "bio",
    "looking_for_team",
    "show_profile",
    "dietary_needs",
    "accessibility_needs",
)


@service
def register(
    edition,
    *,
    user,
    by,
    role,
    accept_rules,
    skills=(),
    late=False,
    rules_version=None,
    host_site=None,
    **profile,
):
    """Registers `user` for `edition`, recording which rules they accepted and when, at
    `host_site` if given (refused when the site is full).

    `rules_version` is the version the person was shown; if the organizers published a
    new one since, nothing is saved and they are asked to read it.

    `late=True` is an organizer's late registration, allowed until submissions close.
    Writes one Registration and its skills; sends nothing.
    """
    if late:
        if not are_teams_open(edition):
            raise PhaseClosedError(_("It is too late to register anyone for this edition."))
    elif not is_registration_open(edition):
        raise PhaseClosedError(_("Registration for %(edition)s is closed.") % {"edition": edition})
    if not accept_rules:
        raise RegistrationError(
            _("You must accept the rules and the code of conduct to register."),
            field="accept_rules",
        )
    current = current_rules_version(edition)
    if rules_version and rules_version != current:
        raise RegistrationError(
            _(
                "The rules or the code of conduct changed while you were reading: read the new "
                "version, then accept it."
            ),
            field="accept_rules",
        )
    if Registration.objects.filter(edition=edition, user=user).exists():
        raise RegistrationError(
            _("%(person)s is already registered for %(edition)s.")
            % {"person": user, "edition": edition}
        )
    if role == Registration.Role.PARTICIPANT:
        check_role_free(edition, user, Role.PARTICIPANT)
    registration = Registration(
        edition=edition,
        user=user,
        role=role,
        rules_version=current,
        rules_accepted_at=timezone.now(),
        registered_by=by if late else None,
        **{name: value for name, value in profile.items() if name in PROFILE_FIELDS},
    )
    seat_registration(registration, host_site)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        raise RegistrationError(_("You are already registered for this edition.")) from None
    registration.skills.set(skills_from_names(skills))
    record_consent(user, edition=edition, consent=Consent.RULES, given=True, by=by, version=current)
    record_consent(
        user,
        edition=edition,
        consent=Consent.SHOW_PROFILE,
        given=registration.show_profile,
        by=by,
    )
    return registration


@service
def update_consent(registration, *, by, show_profile):
    """Gives or withdraws the consent to be shown, at any time (Law 25): every page that shows
    names reads it when it is shown. Writes the row and the consent's history."""
    registration.show_profile = show_profile
    registration.save(update_fields=["show_profile"])
    record_consent(
        registration.user,
        edition=registration.edition,
        consent=Consent.SHOW_PROFILE,
        given=show_profile,
        by=by,
    )
    return registration


@service
def update_registration(registration, *, by, role=None, skills=None, **profile):
    """Updates the profile (and, while registration is open, the role; the host site within
    its capacity). Writes only the row.

    Once teams are frozen only the consent can change, through `update_consent`.
    """
    edition = registration.edition
    if not are_teams_open(edition):
        raise PhaseClosedError(_("Profiles of this edition can no longer change."))
    # The stored role, not the instance's: a model form has already set the new one on it.
    stored_role = Registration.objects.select_for_update().get(pk=registration.pk).role
    if role is not None and role != stored_role:
        if not is_registration_open(edition):
            raise PhaseClosedError(_("The role can change only while registration is open."))
        in_team = Membership.objects.filter(edition=edition, user=registration.user).exists()
        if in_team and role != Registration.Role.PARTICIPANT:
            raise RegistrationError(
                _("Leave your team first: mentors and volunteers cannot be team members."),
                field="role",
            )
        if role == Registration.Role.PARTICIPANT:
            check_role_free(edition, registration.user, Role.PARTICIPANT)
    if "host_site" in profile:
        choose_host_site(registration, site=profile["host_site"], by=by)
    registration.role = role or stored_role
    for name, value in profile.items():
        if name in PROFILE_FIELDS:
            setattr(registration, name, value)
    registration.save()
    if skills is not None:
        registration.skills.set(skills_from_names(skills))
    record_consent(
        registration.user,
        edition=edition,
        consent=Consent.SHOW_PROFILE,
        given=registration.show_profile,
        by=by,
    )
    return registration


@service
def withdraw_registration(registration, *, by):
    """Deletes the registration and the person's pending join requests.

    A team member must leave the team first, so that no team loses a member silently.
    """
    edition, user = registration.edition, registration.user
    if not can_withdraw_registration(edition):
        raise PhaseClosedError(_("Registration can no longer be withdrawn: hacking has started."))
    if Membership.objects.filter(edition=edition, user=user).exists():
        raise RegistrationError(_("Leave your team before withdrawing your registration."))
    JoinRequest.objects.filter(
        team__edition=edition, user=user, status=JoinRequest.Status.PENDING
    ).delete()
    registration.delete()
    # Withdrawing ends both consents of the edition; the history keeps that it did.
    for consent in (Consent.RULES, Consent.SHOW_PROFILE):
        record_consent(user, edition=edition, consent=consent, given=False, by=by)
