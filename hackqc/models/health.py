from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """Written by a Celery task: proves that a worker consumes the queue and reaches the
    database. Organizers read it on the health page."""

    hostname = models.CharField(_("worker"), max_length=200)
    beat_at = models.DateTimeField(_("last heartbeat"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["-beat_at"]

    def __str__(self):
        return f"{self.hostname} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
