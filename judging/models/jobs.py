"""Long organizer actions (the assignment, computing results, mailing them) run by a worker,
with the progress the organizer's page shows."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrganizerJob(models.Model):
    """One run of a long action. At most one queued or running job per scope (a round for
    the assignment, an edition for its results): the database refuses a second."""

    class Kind(models.TextChoices):
        ASSIGNMENT = "assignment", _("Assigning the judges")
        COMPUTE_RESULTS = "compute_results", _("Computing the results")
        ANNOUNCE_RESULTS = "announce_results", _("Mailing the results")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    LIVE_STATES = (State.QUEUED, State.RUNNING)

    edition = models.ForeignKey(
        "hackqc.Edition", on_delete=models.CASCADE, related_name="organizer_jobs"
    )
    round = models.ForeignKey(
        "judging.Round", on_delete=models.CASCADE, null=True, blank=True, related_name="jobs"
    )
    snapshot_id = models.PositiveIntegerField(null=True, blank=True)  # mailing: its results
    kind = models.CharField(_("action"), max_length=20, choices=Kind.choices)
    scope = models.CharField(max_length=40)  # "round:12", "results:3", "announce:3"
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    language = models.CharField(max_length=10, blank=True)
    step = models.CharField(_("step"), max_length=200, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(_("outcome"), blank=True)
    details = models.JSONField(default=list, blank=True)  # lines under the outcome
    result_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("organizer task")
        verbose_name_plural = _("organizer tasks")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope"],
                condition=Q(state__in=["queued", "running"]),
                name="one_live_job_per_scope",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("judging:job", kwargs={"slug": self.edition.slug, "pk": self.pk})

    @property
    def is_live(self) -> bool:
        return self.state in self.LIVE_STATES

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.total) if self.total else None
