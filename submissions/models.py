"""Project sheets, their submitted versions and the datasets they reuse.

The fields here are the ones other apps rely on (jury, results): extend, never rename.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    """A team's project sheet: one per team, hence one per team per edition."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        DISQUALIFIED = "disqualified", _("Disqualified")

    edition = models.ForeignKey(
        "hackqc.Edition",
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("edition"),
    )
    team = models.OneToOneField(
        "teams.Team", on_delete=models.CASCADE, related_name="submission", verbose_name=_("team")
    )
    title = models.CharField(_("title"), max_length=150, blank=True)
    pitch = models.CharField(_("one-line pitch"), max_length=250, blank=True)
    challenge = models.ForeignKey(
        "hackqc.Challenge",
        on_delete=models.PROTECT,
        related_name="submissions",
        null=True,
        blank=True,
        verbose_name=_("challenge"),
    )
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.DRAFT)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["edition", "title"]

    def __str__(self):
        return self.title or str(self.team)


class DatasetLink(models.Model):
    """A dataset of the catalogue that the project reuses, and how."""

    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="dataset_links",
        verbose_name=_("submission"),
    )
    dataset = models.ForeignKey(
        "catalogue.Dataset",
        on_delete=models.PROTECT,
        related_name="links",
        verbose_name=_("dataset"),
    )
    usage = models.CharField(_("how the project uses it"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("dataset reused")
        verbose_name_plural = _("datasets reused")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "dataset"], name="datasetlink_unique_per_submission"
            )
        ]

    def __str__(self):
        return f"{self.submission} → {self.dataset}"


class SubmissionVersion(models.Model):
    """An immutable snapshot stored at each submit; the jury sees the last one."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="versions", verbose_name=_("submission")
    )
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("sheet"), help_text=_("The sheet and its dataset links."))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        ordering = ["submission", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "number"], name="submissionversion_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.submission} v{self.number}"
