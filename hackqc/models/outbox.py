from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingMail(models.Model):
    """One mail the site promised to one recipient: written in the transaction of the action
    that promises it, sent by a worker afterwards (see `hackqc.outbox`).

    `key` is unique: the same promise made twice (a task run twice, a double click) is one
    row, so each mail reaches each recipient once. The context holds ids, not copies, and
    the mail is rendered when it is sent, in the recipient's language of that moment.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    key = models.CharField(_("key"), max_length=200, unique=True)
    edition = models.ForeignKey(
        "hackqc.Edition",
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outgoing_mails",
    )
    # A deleted account takes its unsent mails with it (Law 25: nothing kept about them).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outgoing_mails",
    )
    address = models.EmailField(_("address"), max_length=254)
    language = models.CharField(_("language"), max_length=8, blank=True)
    template = models.CharField(_("template"), max_length=200)
    context = models.JSONField(_("context"), default=dict, blank=True)
    reply_to = models.EmailField(_("reply to"), max_length=254, blank=True)
    queue = models.CharField(_("queue"), max_length=50, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    # Failures are retried with a growing delay until then; after, the mail is failed.
    retry_until = models.DateTimeField(_("retried until"))
    # When a send task was last handed to the broker; empty while none is (broker down).
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outgoing_mail_due"),
            models.Index(fields=["edition", "state"], name="outgoing_mail_edition"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="sent", sent_at__isnull=False)
                | (~Q(state="sent") & Q(sent_at__isnull=True)),
                name="outgoing_mail_sent_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.key} → {self.address} ({self.state})"
