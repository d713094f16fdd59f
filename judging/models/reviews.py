"""Who reviews what and what they said: assignments, reviews, scores, history, reminders."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .jury import Judge
from .rounds import Criterion, Round


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
