"""One person, one of three roles per edition: its organizers, its judges and its competitors
(participants) are different people.

A competitor may not score rivals nor see the organizers' pages (every sheet, every review);
an organizer, who sees every judge's scores, may not score blind. Mentors and volunteers
compete with nobody: their registration combines with any role.

The rule spans three apps' tables (`hackqc.EditionOrganizer`, `teams.Registration`,
`judging.Judge`): every service that gives one of the roles asks `check_role_free` here, in
the core, so there is one wording of the rule (the admin, read-only for the roles, asks
`check_may_be_staff` when it makes someone staff). The models of the
apps above the core are looked up by label, so the core imports none of them. Triggers
(judging migration 0012) refuse the same rows in the database, for concurrent writers.
"""

from django.apps import apps
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .exceptions import HackQCError


class Role(models.TextChoices):
    ORGANIZER = "organizer", gettext_lazy("organizer")
    JUDGE = "judge", gettext_lazy("judge")
    PARTICIPANT = "participant", gettext_lazy("participant")


class RoleConflictError(HackQCError):
    """The person already holds another role of the edition that excludes this one."""


def roles_held(edition, user) -> set[Role]:
    """The exclusive roles `user` holds in `edition` (staff organize every edition)."""
    held = set()
    if (
        user.is_staff
        or apps.get_model("hackqc", "EditionOrganizer")
        .objects.filter(edition=edition, user=user)
        .exists()
    ):
        held.add(Role.ORGANIZER)
    if apps.get_model("judging", "Judge").objects.filter(edition=edition, user=user).exists():
        held.add(Role.JUDGE)
    registrations = apps.get_model("teams", "Registration").objects
    if registrations.filter(edition=edition, user=user, role="participant").exists():
        held.add(Role.PARTICIPANT)
    return held


def role_conflict(edition, user, role) -> Role | None:
    """The role of `edition` that `user` holds and that excludes `role`, or None."""
    others = roles_held(edition, user) - {Role(role)}
    return min(others) if others else None


def check_role_free(edition, user, role) -> None:
    """Raises RoleConflictError, with a message naming both roles, if `user` may not take
    `role` in `edition`."""
    held = role_conflict(edition, user, role)
    if held is None:
        return
    messages = {
        (Role.PARTICIPANT, Role.JUDGE): _(
            "%(person)s is on the jury of %(edition)s: judges cannot compete in it."
        ),
        (Role.PARTICIPANT, Role.ORGANIZER): _(
            "%(person)s organizes %(edition)s: organizers cannot compete in it."
        ),
        (Role.JUDGE, Role.PARTICIPANT): _(
            "%(person)s takes part in %(edition)s as a participant: "
            "a participant cannot join its jury."
        ),
        (Role.JUDGE, Role.ORGANIZER): _(
            "%(person)s organizes %(edition)s: organizers, who see every score, "
            "cannot join its jury."
        ),
        (Role.ORGANIZER, Role.PARTICIPANT): _(
            "%(person)s takes part in %(edition)s as a participant: "
            "a participant cannot organize it."
        ),
        (Role.ORGANIZER, Role.JUDGE): _(
            "%(person)s is on the jury of %(edition)s: a judge cannot organize it."
        ),
    }
    raise RoleConflictError(
        messages[(Role(role), held)] % {"person": user, "edition": edition}, field="role"
    )


def check_may_be_staff(user) -> None:
    """Staff organize every edition (`roles_held`), so a judge or a participant of any
    edition may not become staff: raises RoleConflictError naming one such edition."""
    judge = apps.get_model("judging", "Judge").objects.filter(user=user).select_related("edition")
    if held := judge.first():
        raise RoleConflictError(
            _("%(person)s is on the jury of %(edition)s: staff organize every edition.")
            % {"person": user, "edition": held.edition},
            field="is_staff",
        )
    registrations = apps.get_model("teams", "Registration").objects
    registered = registrations.filter(user=user, role="participant").select_related("edition")
    if held := registered.first():
        raise RoleConflictError(
            _(
                "%(person)s takes part in %(edition)s as a participant: "
                "staff organize every edition."
            )
            % {"person": user, "edition": held.edition},
            field="is_staff",
        )
