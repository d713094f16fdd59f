"""Project sheets, their submitted versions and the datasets they reuse.

The fields here are the ones other apps rely on (jury, results): extend, never rename.
"""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .licences import LICENCE_CHOICES

# Uploaded images get 128 random bits as their name (22 characters in base64url).
MEDIA_TOKEN_BYTES = 16
MEDIA_EXTENSIONS = {".png", ".jpg", ".jpeg", ".webp"}


def _image_path(instance, folder, filename):
    """`submissions/<id>/<random token>.<ext>`: a name nobody can guess, so a file is reached
    only through a page that links it, and always through the checked view
    (`submissions.media`). The uploaded name is dropped: it may name a person. `folder` is
    kept in the signature for the migrations that reference these functions."""
    submission_id = getattr(instance, "submission_id", None) or instance.pk
    extension = PurePath(filename).suffix.lower()
    if extension not in MEDIA_EXTENSIONS:
        extension = ".bin"
    return f"submissions/{submission_id}/{secrets.token_urlsafe(MEDIA_TOKEN_BYTES)}{extension}"


def upload_logo(instance, filename):
    return _image_path(instance, "logo", filename)


def upload_screenshot(instance, filename):
    return _image_path(instance, "screenshots", filename)


def upload_thumbnail(instance, filename):
    return _image_path(instance, "thumbnails", filename)


class Technology(models.Model):
    """A technology named by teams; shared so the gallery can filter by it."""

    name = models.CharField(_("name"), max_length=60)

    class Meta:
        verbose_name = _("technology")
        verbose_name_plural = _("technologies")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="technology_unique_name")]

    def __str__(self):
        return self.name


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
    # Section A
    description = models.TextField(
        _("description"), max_length=10_000, blank=True, help_text=_("Markdown.")
    )
    welcomes_members = models.BooleanField(_("the team welcomes new members"), default=False)
    # Section B (datasets and libraries are rows of their own)
    technologies = models.ManyToManyField(
        Technology, related_name="submissions", blank=True, verbose_name=_("technologies")
    )
    # Section C
    achievements = models.TextField(_("what was achieved"), max_length=5_000, blank=True)
    difficulties = models.TextField(_("difficulties and successes"), max_length=5_000, blank=True)
    lessons = models.TextField(_("lessons learned"), max_length=5_000, blank=True)
    next_steps = models.TextField(_("next steps"), max_length=5_000, blank=True)
    # Links
    repository_url = models.URLField(_("source repository"), max_length=300, blank=True)
    licence = models.CharField(
        _("licence of the code"), max_length=40, choices=LICENCE_CHOICES, blank=True
    )
    demo_url = models.URLField(_("live demo"), max_length=300, blank=True)
    video_url = models.URLField(_("video"), max_length=300, blank=True)
    logo = models.ImageField(_("logo"), upload_to=upload_logo, max_length=255, blank=True)
    logo_thumbnail = models.ImageField(
        _("logo thumbnail"), upload_to=upload_thumbnail, max_length=255, blank=True
    )
    # Optimistic locking: each save of the sheet increments it.
    lock_version = models.PositiveIntegerField(_("lock version"), default=1)
    reopened_until = models.DateTimeField(
        _("reopened until"),
        null=True,
        blank=True,
        help_text=_("Set by an organizer: the team may edit and submit until then."),
    )

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["edition", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lock_version__gte=1), name="submission_lock_version_positive"
            )
        ]

    def __str__(self):
        return self.title or str(self.team)

    @property
    def deadline(self):
        """The edition's deadline, or a later one an organizer granted by reopening."""
        close = self.edition.submissions_close
        if self.reopened_until and self.reopened_until > close:
            return self.reopened_until
        return close


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
    resources = models.JSONField(
        _("resources used"),
        default=list,
        blank=True,
        help_text=_("Identifiers or URLs of the dataset's resources the project uses."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("dataset reused")
        verbose_name_plural = _("datasets reused")
        ordering = ["submission", "position", "pk"]
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
    # Relational copies of what `data` lists, set once at submit: the gallery filters on the
    # version it shows, not on later edits of the sheet.
    datasets = models.ManyToManyField(
        "catalogue.Dataset",
        related_name="submitted_versions",
        blank=True,
        verbose_name=_("datasets reused"),
    )
    technologies = models.ManyToManyField(
        Technology, related_name="submitted_versions", blank=True, verbose_name=_("technologies")
    )

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

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A submitted version is immutable.")
        super().save(*args, **kwargs)


class Library(models.Model):
    """An external library the project uses, with its version (section B)."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="libraries", verbose_name=_("submission")
    )
    name = models.CharField(_("library"), max_length=100)
    version = models.CharField(_("version"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("library")
        verbose_name_plural = _("libraries")
        ordering = ["submission", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                "submission", Lower("name"), name="library_unique_name_per_submission"
            )
        ]

    def __str__(self):
        return f"{self.name} {self.version}"


class Screenshot(models.Model):
    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="screenshots",
        verbose_name=_("submission"),
    )
    image = models.ImageField(_("image"), upload_to=upload_screenshot, max_length=255)
    thumbnail = models.ImageField(
        _("thumbnail"), upload_to=upload_thumbnail, max_length=255, blank=True
    )
    alt_text = models.CharField(
        _("description of the image"),
        max_length=200,
        help_text=_("For people who cannot see the image."),
    )
    created_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("screenshot")
        verbose_name_plural = _("screenshots")
        ordering = ["submission", "created_at", "pk"]

    def __str__(self):
        return self.alt_text


class Decision(models.Model):
    """An organizer's decision on one submission, with its stated reason (an audit trail)."""

    class Kind(models.TextChoices):
        REOPENED = "reopened", _("Reopened")
        DISQUALIFIED = "disqualified", _("Disqualified")

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("submission")
    )
    kind = models.CharField(_("decision"), max_length=20, choices=Kind)
    reason = models.TextField(_("reason"), max_length=2_000)
    until = models.DateTimeField(_("until"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("organizer decision")
        verbose_name_plural = _("organizer decisions")
        ordering = ["submission", "-decided_at", "-pk"]

    def __str__(self):
        return f"{self.submission}: {self.get_kind_display()}"


class DeadlineReminder(models.Model):
    """A reminder mailed to a team before the deadline; the constraint makes it happen once."""

    class Kind(models.TextChoices):
        DAY = "24h", _("24 hours before")
        HOURS = "2h", _("2 hours before")

    team = models.ForeignKey(
        "teams.Team", on_delete=models.CASCADE, related_name="+", verbose_name=_("team")
    )
    kind = models.CharField(_("reminder"), max_length=5, choices=Kind)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        constraints = [
            models.UniqueConstraint(fields=["team", "kind"], name="deadlinereminder_once")
        ]

    def __str__(self):
        return f"{self.team} — {self.kind}"


class SubmitConfirmation(models.Model):
    """A submit confirmation mailed to one member for one version: recorded before sending,
    under a unique constraint, so a task that runs twice mails nobody twice."""

    version = models.ForeignKey(
        SubmissionVersion, on_delete=models.CASCADE, related_name="+", verbose_name=_("version")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("submit confirmation")
        verbose_name_plural = _("submit confirmations")
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="submitconfirmation_once")
        ]

    def __str__(self):
        return f"{self.version} → {self.user}"
