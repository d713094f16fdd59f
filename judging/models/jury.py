"""Who judges: judges, their invitations, and conflicts of interest."""

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Judge(models.Model):
    """A person on the jury of one edition."""

    edition = models.ForeignKey(
        "hackqc.Edition", on_delete=models.CASCADE, related_name="judges", verbose_name=_("edition")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="judge_roles",
        verbose_name=_("user"),
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    preferred_challenges = models.ManyToManyField(
        "hackqc.Challenge", blank=True, related_name="+", verbose_name=_("preferred challenges")
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    sponsor = models.CharField(
        _("sponsor"),
        max_length=200,
        blank=True,
        help_text=_("When set, this judge scores only in the rounds of this sponsor's prize."),
    )

    class Meta:
        verbose_name = _("judge")
        verbose_name_plural = _("judges")
        constraints = [
            models.UniqueConstraint(fields=["edition", "user"], name="judge_one_role_per_edition")
        ]

    def __str__(self):
        if self.user.is_erased:
            # Their submitted reviews still count: the jury reads who they were, not a name.
            return str(_("Judge withdrawn %(number)s") % {"number": self.user.erased_number})
        return str(self.user)


def _token():
    return secrets.token_urlsafe(32)


class JudgeInvitation(models.Model):
    """An organizer's invitation to join the jury, accepted through a token link."""

    edition = models.ForeignKey(
        "hackqc.Edition",
        on_delete=models.CASCADE,
        related_name="judge_invitations",
        verbose_name=_("edition"),
    )
    email = models.EmailField(_("e-mail address"))
    token = models.CharField(_("token"), max_length=64, unique=True, default=_token)
    sponsor = models.CharField(_("sponsor"), max_length=200, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("invited at"), default=timezone.now)
    mail_requested_at = models.DateTimeField(_("mail requested at"), default=timezone.now)
    mailed_at = models.DateTimeField(_("mailed at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    judge = models.ForeignKey(
        Judge,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("judge"),
    )

    class Meta:
        verbose_name = _("judge invitation")
        verbose_name_plural = _("judge invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "edition",
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="judgeinvitation_one_pending_per_email",
            )
        ]

    def __str__(self):
        return self.email

    @property
    def is_pending(self):
        return self.accepted_at is None and self.revoked_at is None

    def is_expired(self, now=None):
        """Expired `JURY_INVITATION_DAYS` after it was last sent (or resent)."""
        sent = max(self.created_at, self.mail_requested_at)
        days = dt.timedelta(days=settings.JURY_INVITATION_DAYS)
        return (now or timezone.now()) - sent > days

    def is_usable(self, now=None):
        return self.is_pending and not self.is_expired(now)


class Conflict(models.Model):
    """A conflict of interest declared by a judge or set by an organizer, or a waiver.

    A conflict names a team or an organisation (matched against the team members'
    registrations). A waiver (organizer only) lifts the automatic conflict with one team.
    Lifting a declared or added conflict keeps the row, with who lifted it, when and why.
    """

    class Kind(models.TextChoices):
        DECLARED = "declared", _("Declared by the judge")
        ADDED = "added", _("Added by an organizer")
        RECUSAL = "recusal", _("Recusal during a round")
        WAIVER = "waiver", _("Automatic conflict lifted by an organizer")

    judge = models.ForeignKey(
        Judge, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("judge")
    )
    team = models.ForeignKey(
        "teams.Team",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="judge_conflicts",
        verbose_name=_("team"),
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.DECLARED)
    reason = models.TextField(_("reason"), max_length=2_000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lift_reason = models.TextField(_("reason for lifting"), max_length=2_000, blank=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["judge", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(team__isnull=False) & Q(organisation=""))
                | (Q(team__isnull=True) & ~Q(organisation="")),
                name="conflict_team_or_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(kind="waiver") | Q(team__isnull=False),
                name="conflict_waiver_names_team",
            ),
        ]

    def __str__(self):
        return f"{self.judge} ≠ {self.team or self.organisation}"

    @property
    def is_active(self):
        return self.lifted_at is None
