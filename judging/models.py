"""Judges, rounds with their rubric, assignments and reviews.

The fields here are the ones other apps rely on (results): extend, never rename.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
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

    class AssignmentMode(models.TextChoices):
        BALANCED = "balanced", _("Each project gets its judges; the largest load is smallest")
        EVERYONE = "everyone", _("Every judge reviews every project (a final)")

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
    assignment_mode = models.CharField(
        _("assignment"),
        max_length=20,
        choices=AssignmentMode,
        default=AssignmentMode.BALANCED,
        help_text=_(
            "For a final, let every judge review every finalist: the judges' severities can "
            "then be measured and the judge-bias model compares every finalist with every "
            "other. The number of judges per project is then a minimum."
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
    feedback = models.TextField(_("feedback for the team"), max_length=5_000, blank=True)
    private_note = models.TextField(_("private note for the jury"), max_length=5_000, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    recusal_reason = models.TextField(_("reason for recusal"), max_length=2_000, blank=True)
    judged_version = models.ForeignKey(
        "submissions.SubmissionVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("version judged"),
    )

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


class AssignmentBlock(models.Model):
    """An organizer's removal: the judge is not to be assigned this submission (or, with no
    submission, anything more in the round, e.g. a judge who dropped out)."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="blocks", verbose_name=_("round")
    )
    judge = models.ForeignKey(
        Judge, on_delete=models.CASCADE, related_name="blocks", verbose_name=_("judge")
    )
    submission = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submission"),
    )
    reason = models.TextField(_("reason"), max_length=2_000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("removed by"),
    )
    created_at = models.DateTimeField(_("removed at"), default=timezone.now)

    class Meta:
        verbose_name = _("removed assignment")
        verbose_name_plural = _("removed assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "judge", "submission"], name="assignmentblock_unique"
            ),
            models.UniqueConstraint(
                fields=["round", "judge"],
                condition=Q(submission__isnull=True),
                name="assignmentblock_unique_whole_round",
            ),
        ]

    def __str__(self):
        return f"{self.judge} ✕ {self.submission or '*'}"


class ReviewChange(models.Model):
    """One change to a review: who, when, what it was and what it became (the audit trail)."""

    class Action(models.TextChoices):
        DRAFT = "draft", _("Draft saved")
        SUBMIT = "submit", _("Submitted")
        RECUSE = "recuse", _("Recused")

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="changes", verbose_name=_("review")
    )
    action = models.CharField(_("action"), max_length=20, choices=Action)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"))
    old = models.JSONField(_("before"), default=dict)
    new = models.JSONField(_("after"), default=dict)

    class Meta:
        verbose_name = _("review change")
        verbose_name_plural = _("review changes")
        ordering = ["review", "version"]
        constraints = [
            models.UniqueConstraint(fields=["review", "version"], name="reviewchange_unique")
        ]

    def __str__(self):
        return f"{self.review} v{self.version}"


class ReminderBatch(models.Model):
    """One click on "remind late judges"."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("round")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.round} {self.created_at:%Y-%m-%d %H:%M}"


class ReminderSent(models.Model):
    """A judge reminded by a batch: the unique constraint keeps it to once per click."""

    batch = models.ForeignKey(
        ReminderBatch, on_delete=models.CASCADE, related_name="sent", verbose_name=_("reminder")
    )
    judge = models.ForeignKey(
        Judge, on_delete=models.CASCADE, related_name="+", verbose_name=_("judge")
    )
    pending = models.PositiveIntegerField(_("pending reviews"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["batch", "judge"], name="remindersent_once_per_batch")
        ]

    def __str__(self):
        return f"{self.batch} → {self.judge}"


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
