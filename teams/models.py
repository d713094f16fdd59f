"""Registrations for an edition, teams and their members.

The fields here are the ones other apps rely on (submissions, jury): extend, never rename.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Registration(models.Model):
    """A person taking part in one edition, in one role."""

    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("Participant")
        MENTOR = "mentor", _("Mentor")
        VOLUNTEER = "volunteer", _("Volunteer")

    class ParticipantType(models.TextChoices):
        STUDENT = "student", _("Student")
        PROFESSIONAL = "professional", _("Professional")
        OTHER = "other", _("Other")

    edition = models.ForeignKey(
        "hackqc.Edition",
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("edition"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.PARTICIPANT)
    organisation = models.CharField(_("organisation or school"), max_length=200, blank=True)
    participant_type = models.CharField(
        _("participant type"),
        max_length=20,
        choices=ParticipantType,
        default=ParticipantType.OTHER,
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["edition", "user"], name="registration_one_per_edition")
        ]

    def __str__(self):
        return f"{self.user} — {self.edition}"


class Team(models.Model):
    edition = models.ForeignKey(
        "hackqc.Edition", on_delete=models.CASCADE, related_name="teams", verbose_name=_("edition")
    )
    name = models.CharField(_("name"), max_length=100)
    challenge = models.ForeignKey(
        "hackqc.Challenge",
        on_delete=models.PROTECT,
        related_name="teams",
        null=True,
        blank=True,
        verbose_name=_("challenge"),
    )
    description = models.TextField(_("short description"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["edition", "name"]
        constraints = [
            models.UniqueConstraint("edition", Lower("name"), name="team_unique_name_per_edition")
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A person in a team. `edition` repeats the team's so one constraint can say
    "one team per person per edition"."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("team")
    )
    edition = models.ForeignKey(
        "hackqc.Edition", on_delete=models.CASCADE, related_name="+", verbose_name=_("edition")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    is_captain = models.BooleanField(_("captain"), default=False)
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "user"], name="membership_one_team_per_edition"
            ),
            models.UniqueConstraint(
                fields=["team"],
                condition=models.Q(is_captain=True),
                name="membership_one_captain_per_team",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.team}"
