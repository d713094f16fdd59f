"""The vote window of an edition and the votes cast in it."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VoteWindow(models.Model):
    """When the public may vote, and the prize the votes decide."""

    edition = models.OneToOneField(
        "hackqc.Edition",
        on_delete=models.CASCADE,
        related_name="vote_window",
        verbose_name=_("edition"),
    )
    # Deleting the prize (allowed until results are published) ends the vote with it; the
    # votes stay, deciding nothing, until a new window names a prize.
    prize = models.OneToOneField(
        "results.Prize",
        on_delete=models.CASCADE,
        related_name="vote_window",
        verbose_name=_("prize decided by the public"),
    )
    opens_at = models.DateTimeField(_("voting opens at"))
    closes_at = models.DateTimeField(_("voting closes at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("set by"),
    )

    class Meta:
        verbose_name = _("people's choice vote")
        verbose_name_plural = _("people's choice votes")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="votewindow_dates"
            ),
        ]

    def __str__(self):
        return str(self.prize)


class PublicVote(models.Model):
    """One account's vote in an edition: changeable until the window closes."""

    edition = models.ForeignKey(
        "hackqc.Edition",
        on_delete=models.CASCADE,
        related_name="public_votes",
        verbose_name=_("edition"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="public_votes",
        verbose_name=_("voter"),
    )
    submission = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.CASCADE,
        related_name="public_votes",
        verbose_name=_("project"),
    )
    cast_at = models.DateTimeField(_("cast at"), default=timezone.now)
    changed_at = models.DateTimeField(_("last changed at"), default=timezone.now)
    changes = models.PositiveIntegerField(_("changes"), default=0)
    # Flags for the organizers' review, recorded when the vote is cast.
    late_account = models.BooleanField(_("account created after the vote opened"), default=False)
    email_domain = models.CharField(_("e-mail domain"), max_length=255, blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("voided by"),
    )
    void_reason = models.TextField(_("reason for voiding"), max_length=2_000, blank=True)

    class Meta:
        verbose_name = _("public vote")
        verbose_name_plural = _("public votes")
        ordering = ["edition", "cast_at"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "user"], name="publicvote_one_per_account"),
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True) | ~Q(void_reason=""),
                name="publicvote_void_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.submission_id}"
