"""Judges, rounds with their rubric, assignments and reviews.

The fields here are the ones other apps rely on (results): extend, never rename.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
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

    class Meta:
        verbose_name = _("judge")
        verbose_name_plural = _("judges")
        constraints = [
            models.UniqueConstraint(fields=["edition", "user"], name="judge_one_role_per_edition")
        ]

    def __str__(self):
        return str(self.user)


class Round(models.Model):
    """One scoring space: its own rubric, assignments and reviews."""

    class MissingPolicy(models.TextChoices):
        RENORMALISE = "renormalise", _("Renormalise over the criteria scored")
        ZERO = "zero", _("Count a missing value as zero")
        DROP = "drop", _("Ignore incomplete reviews")

    class Method(models.TextChoices):
        MEAN = "mean", _("Mean of review scores")
        ZSCORE = "zscore", _("Per-judge z-score")
        BIAS = "bias", _("Judge-bias model (recommended)")

    class Scope(models.TextChoices):
        ALL = "all", _("All eligible submissions")
        CHALLENGE = "challenge", _("One challenge")
        FINALISTS = "finalists", _("Finalists of another round")

    edition = models.ForeignKey(
        "hackqc.Edition", on_delete=models.CASCADE, related_name="rounds", verbose_name=_("edition")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=150)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    judges_per_submission = models.PositiveSmallIntegerField(_("judges per submission"), default=3)
    missing_policy = models.CharField(
        _("missing values"), max_length=20, choices=MissingPolicy, default=MissingPolicy.RENORMALISE
    )
    method = models.CharField(
        _("aggregation method"), max_length=20, choices=Method, default=Method.BIAS
    )
    use_median = models.BooleanField(_("median instead of mean"), default=False)
    bias_lambda = models.FloatField(_("bias regularisation (λ)"), default=0.0)
    scope = models.CharField(_("submissions"), max_length=20, choices=Scope, default=Scope.ALL)
    scope_challenge = models.ForeignKey(
        "hackqc.Challenge",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("challenge"),
    )
    source_round = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_rounds",
        verbose_name=_("finalists of"),
    )

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["edition", "number"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="round_unique_number"),
            models.CheckConstraint(condition=Q(closes_at__gte=F("opens_at")), name="round_dates"),
        ]

    def __str__(self):
        return self.name


class Criterion(models.Model):
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("round")
    )
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    low_label = models.CharField(_("what a low score means"), max_length=300, blank=True)
    high_label = models.CharField(_("what a high score means"), max_length=300, blank=True)
    weight = models.FloatField(_("weight"), default=1.0)
    min_value = models.PositiveSmallIntegerField(_("lowest score"), default=0)
    max_value = models.PositiveSmallIntegerField(_("highest score"), default=10)
    is_tiebreak = models.BooleanField(_("tie-breaker"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["round", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=0), name="criterion_weight_positive"),
            models.CheckConstraint(
                condition=Q(max_value__gt=F("min_value")), name="criterion_scale"
            ),
            models.UniqueConstraint(
                fields=["round"], condition=Q(is_tiebreak=True), name="criterion_one_tiebreak"
            ),
        ]

    def __str__(self):
        return self.name


class Assignment(models.Model):
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("round")
    )
    judge = models.ForeignKey(
        Judge, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("judge")
    )
    submission = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("submission"),
    )
    pinned = models.BooleanField(_("pinned by an organizer"), default=False)
    created_at = models.DateTimeField(_("assigned at"), default=timezone.now)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "judge", "submission"], name="assignment_unique"
            )
        ]

    def __str__(self):
        return f"{self.judge} → {self.submission}"


class Review(models.Model):
    """One judge's review of one submission in one round."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RECUSED = "recused", _("Recused")

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("round")
    )
    judge = models.ForeignKey(
        Judge, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("judge")
    )
    submission = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("submission"),
    )
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.DRAFT)
    feedback = models.TextField(_("feedback for the team"), blank=True)
    private_note = models.TextField(_("private note for the jury"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["round", "judge", "submission"], name="review_unique")
        ]

    def __str__(self):
        return f"{self.judge} / {self.submission} ({self.round})"


class Score(models.Model):
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="scores", verbose_name=_("review")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("criterion")
    )
    value = models.FloatField(_("value"), null=True, blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="score_unique")]

    def __str__(self):
        return f"{self.criterion}: {self.value}"
