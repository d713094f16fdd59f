"""Comparisons of a pairwise round, the expo's tables and each judge's place in the walk."""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Comparison(models.Model):
    """A judge's verdict on two projects seen one after the other, or a table skipped.

    A verdict names a winner and a loser; a skip names only the project skipped (an empty
    table, a project the judge could not see), which is then never offered to that judge again.
    """

    round = models.ForeignKey(
        "judging.Round",
        on_delete=models.CASCADE,
        related_name="comparisons",
        verbose_name=_("round"),
    )
    judge = models.ForeignKey(
        "judging.Judge",
        on_delete=models.CASCADE,
        related_name="comparisons",
        verbose_name=_("judge"),
    )
    winner = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("better project"),
    )
    loser = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("other project"),
    )
    skipped = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skipped project"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("comparison")
        verbose_name_plural = _("comparisons")
        ordering = ["round", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(winner__isnull=False, loser__isnull=False, skipped__isnull=True)
                    & ~Q(winner=F("loser"))
                )
                | Q(winner__isnull=True, loser__isnull=True, skipped__isnull=False),
                name="comparison_verdict_or_skip",
            ),
            # A judge compares two projects once, whichever won.
            models.UniqueConstraint(
                F("round"),
                F("judge"),
                Least("winner", "loser"),
                Greatest("winner", "loser"),
                condition=Q(skipped__isnull=True),
                name="comparison_pair_once_per_judge",
            ),
            models.UniqueConstraint(
                fields=["round", "judge", "skipped"],
                condition=Q(skipped__isnull=False),
                name="comparison_skip_once_per_judge",
            ),
        ]

    def __str__(self):
        if self.skipped_id:
            return f"{self.judge} ⤼ {self.skipped}"
        return f"{self.judge}: {self.winner} > {self.loser}"


class ExpoTable(models.Model):
    """Where a project stands at the expo: judges are sent to nearby tables."""

    round = models.ForeignKey(
        "judging.Round",
        on_delete=models.CASCADE,
        related_name="expo_tables",
        verbose_name=_("round"),
    )
    submission = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("submission"),
    )
    number = models.PositiveIntegerField(_("table number"))

    class Meta:
        verbose_name = _("expo table")
        verbose_name_plural = _("expo tables")
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "submission"], name="expotable_one_per_project"
            ),
            models.UniqueConstraint(fields=["round", "number"], name="expotable_unique_number"),
        ]

    def __str__(self):
        return f"{self.number}: {self.submission}"


class ExpoWalk(models.Model):
    """A judge's place in a pairwise round: the project just seen and the one to see now."""

    round = models.ForeignKey(
        "judging.Round", on_delete=models.CASCADE, related_name="+", verbose_name=_("round")
    )
    judge = models.ForeignKey(
        "judging.Judge", on_delete=models.CASCADE, related_name="+", verbose_name=_("judge")
    )
    previous = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous project"),
    )
    current = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current project"),
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("expo walk")
        verbose_name_plural = _("expo walks")
        constraints = [
            models.UniqueConstraint(fields=["round", "judge"], name="expowalk_one_per_judge"),
            models.CheckConstraint(
                condition=Q(previous__isnull=True)
                | Q(current__isnull=True)
                | ~Q(previous=F("current")),
                name="expowalk_two_projects",
            ),
        ]

    def __str__(self):
        return f"{self.judge} @ {self.current}"
