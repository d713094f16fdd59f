"""Rounds of judging with their rubric, finalists and reopenings."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
        PAIRWISE = "pairwise", _("Bradley-Terry model of pairwise comparisons")

    class Mode(models.TextChoices):
        SCORED = "scored", _("Scored on the rubric")
        PAIRWISE = "pairwise", _("Pairwise comparisons at the expo")
        LIVE = "live", _("Live final: pitches on site, scored on the rubric")

    class AssignmentMode(models.TextChoices):
        BALANCED = "balanced", _("Each project gets its judges; the largest load is smallest")
        EVERYONE = "everyone", _("Every judge reviews every project (a final)")
        CONNECTED = (
            "connected",
            _(
                "Each project gets its judges, and judges overlap so every project can be "
                "compared with every other (a final too large for every judge)"
            ),
        )

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
    mode = models.CharField(
        _("judging mode"),
        max_length=20,
        choices=Mode,
        default=Mode.SCORED,
        help_text=_(
            "Pairwise: at the expo, each judge sees one table after another and says which of "
            "the last two projects was better; the ranking is a Bradley-Terry model."
        ),
    )
    pairwise_alpha = models.FloatField(
        _("pairwise regularisation (alpha)"),
        default=0.01,
        help_text=_(
            "Strength of the prior that keeps the scores of projects seen rarely, or always "
            "winning, finite (choix's alpha)."
        ),
    )
    judges_per_submission = models.PositiveSmallIntegerField(_("judges per submission"), default=3)
    assignment_mode = models.CharField(
        _("assignment"),
        max_length=20,
        choices=AssignmentMode,
        default=AssignmentMode.BALANCED,
        help_text=_(
            "For a final, let every judge review every finalist: the judges' severities can "
            "then be measured and the judge-bias model compares every finalist with every "
            "other. The number of judges per project is then a minimum. When the judges "
            "cannot review every finalist, choose overlapping judges: each project gets its "
            "judges with the same largest load, chosen so that all projects are linked "
            "through shared judges."
        ),
    )
    missing_policy = models.CharField(
        _("missing values"), max_length=20, choices=MissingPolicy, default=MissingPolicy.RENORMALISE
    )
    method = models.CharField(
        _("aggregation method"), max_length=20, choices=Method, default=Method.BIAS
    )
    use_median = models.BooleanField(_("median instead of mean"), default=False)
    bias_lambda = models.FloatField(_("bias regularisation (λ)"), default=0.0)
    normalise_scales = models.BooleanField(
        _("bring every criterion to a common scale"),
        default=False,
        help_text=_(
            "For criteria on different scales (e.g. 1 to 5 and 0 to 10): each score is first "
            "moved to a scale from 0 to 10, so every criterion weighs exactly its weight. "
            "Without it, a round whose weighted criteria use different scales is not ranked."
        ),
    )
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
    sponsor = models.CharField(
        _("sponsor's prize"),
        max_length=200,
        blank=True,
        help_text=_(
            "Leave empty for the general jury. A sponsor's round is scored only by the judges "
            "of that sponsor."
        ),
    )

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["edition", "number"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="round_unique_number"),
            models.CheckConstraint(condition=Q(closes_at__gte=F("opens_at")), name="round_dates"),
            # A pairwise round is ranked by its comparisons, and only a pairwise round is.
            models.CheckConstraint(
                condition=Q(mode="pairwise", method="pairwise")
                | (~Q(mode="pairwise") & ~Q(method="pairwise")),
                name="round_pairwise_method",
            ),
            models.CheckConstraint(condition=Q(pairwise_alpha__gt=0), name="round_pairwise_alpha"),
        ]

    def __str__(self):
        return self.name


class Criterion(models.Model):
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("round")
    )
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), max_length=2_000, blank=True)
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


class Finalist(models.Model):
    """A submission advanced into a round whose scope is the finalists of another round."""

    class Reason(models.TextChoices):
        TOP = "top", _("Top of its challenge")
        WILDCARD = "wildcard", _("Wildcard")

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="finalists", verbose_name=_("round")
    )
    submission = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("submission"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason)
    source_score = models.FloatField(_("score in the previous round"))
    source_rank = models.PositiveIntegerField(_("rank in the previous round"))
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("selected by"),
    )
    selected_at = models.DateTimeField(_("selected at"), default=timezone.now)

    class Meta:
        verbose_name = _("finalist")
        verbose_name_plural = _("finalists")
        ordering = ["round", "source_rank"]
        constraints = [
            models.UniqueConstraint(fields=["round", "submission"], name="finalist_unique")
        ]

    def __str__(self):
        return f"{self.submission} ({self.round})"


class RoundReopening(models.Model):
    """An organizer reopened a closed round, with the reason: the log of a round's reopenings."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="reopenings", verbose_name=_("round")
    )
    reason = models.TextField(_("reason"), max_length=2_000)
    was_closed_at = models.DateTimeField(_("was closed at"))
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    reopened_at = models.DateTimeField(_("reopened at"), default=timezone.now)

    class Meta:
        verbose_name = _("round reopening")
        verbose_name_plural = _("round reopenings")
        ordering = ["round", "-reopened_at"]

    def __str__(self):
        return f"{self.round} ↺ {self.reopened_at:%Y-%m-%d %H:%M}"
