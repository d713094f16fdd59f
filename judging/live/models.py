"""A live final's timing, state and running order."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LiveFinal(models.Model):
    """The live part of a round in "live" mode."""

    round = models.OneToOneField(
        "judging.Round", on_delete=models.CASCADE, related_name="live", verbose_name=_("round")
    )
    pitch_seconds = models.PositiveIntegerField(_("pitch (seconds)"), default=300)
    qa_seconds = models.PositiveIntegerField(_("questions (seconds)"), default=180)
    seed = models.BigIntegerField(
        _("seed of the draw"),
        null=True,
        blank=True,
        help_text=_("Empty when the order was set by hand."),
    )
    # 0 before the first pitch; n while the n-th team is on stage.
    position = models.PositiveIntegerField(_("current position"), default=0)
    slot_started_at = models.DateTimeField(_("current pitch started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("live final")
        verbose_name_plural = _("live finals")
        constraints = [
            models.CheckConstraint(
                condition=Q(pitch_seconds__gte=30, pitch_seconds__lte=3600)
                & Q(qa_seconds__lte=3600),
                name="livefinal_timing",
            ),
        ]

    def __str__(self):
        return str(self.round)


class LiveSlot(models.Model):
    """A finalist's place in the running order (1 is first)."""

    final = models.ForeignKey(
        LiveFinal, on_delete=models.CASCADE, related_name="slots", verbose_name=_("live final")
    )
    submission = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("submission"),
    )
    position = models.PositiveIntegerField(_("position"))
    started_at = models.DateTimeField(_("pitch started at"), null=True, blank=True)

    class Meta:
        verbose_name = _("running-order slot")
        verbose_name_plural = _("running order")
        ordering = ["final", "position"]
        constraints = [
            models.UniqueConstraint(fields=["final", "position"], name="liveslot_unique_position"),
            models.UniqueConstraint(fields=["final", "submission"], name="liveslot_once"),
            models.CheckConstraint(condition=Q(position__gte=1), name="liveslot_position"),
        ]

    def __str__(self):
        return f"{self.position}. {self.submission}"
