from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .editions import Edition, HostSite

SUBJECT_MAX_LENGTH = 150
BODY_MAX_LENGTH = 10_000


class Announcement(models.Model):
    """A message from an edition's organizers to one segment of its people (hackqc.segments),
    written in French and English, mailed once to each person in their language, and
    optionally pinned on the edition page."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="announcements", verbose_name=_("edition")
    )
    segment = models.CharField(_("recipients"), max_length=40)
    host_site = models.ForeignKey(
        HostSite,
        on_delete=models.PROTECT,
        related_name="announcements",
        null=True,
        blank=True,
        verbose_name=_("host site"),
        help_text=_("For a segment of one host site."),
    )
    subject_fr = models.CharField(_("subject in French"), max_length=SUBJECT_MAX_LENGTH, blank=True)
    body_fr = models.TextField(
        _("message in French"), max_length=BODY_MAX_LENGTH, blank=True, help_text=_("Markdown.")
    )
    subject_en = models.CharField(
        _("subject in English"), max_length=SUBJECT_MAX_LENGTH, blank=True
    )
    body_en = models.TextField(
        _("message in English"), max_length=BODY_MAX_LENGTH, blank=True, help_text=_("Markdown.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    sending_since = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    pinned = models.BooleanField(
        _("pinned on the edition page"),
        default=False,
        help_text=_("Shown on the edition page and the home page, latest first."),
    )
    pinned_at = models.DateTimeField(_("pinned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["edition", "-pinned_at"],
                condition=Q(pinned=True),
                name="announcement_pinned",
            )
        ]
        constraints = [
            # Written in at least one language, each language with both its subject and body.
            models.CheckConstraint(
                condition=(~Q(subject_fr="") & ~Q(body_fr=""))
                | (~Q(subject_en="") & ~Q(body_en="")),
                name="announcement_has_text",
            ),
            models.CheckConstraint(
                condition=Q(subject_fr="", body_fr="") | (~Q(subject_fr="") & ~Q(body_fr="")),
                name="announcement_french_whole",
            ),
            models.CheckConstraint(
                condition=Q(subject_en="", body_en="") | (~Q(subject_en="") & ~Q(body_en="")),
                name="announcement_english_whole",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="announcement_sent_has_time",
            ),
            models.CheckConstraint(
                condition=Q(pinned=False) | Q(pinned_at__isnull=False),
                name="announcement_pinned_has_time",
            ),
            models.CheckConstraint(
                condition=Q(pinned=False) | Q(status="sent"), name="announcement_pinned_is_sent"
            ),
        ]

    def __str__(self):
        return self.subject_fr or self.subject_en

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def can_be_pinned(self) -> bool:
        """Only a sent announcement is pinned: a draft may still change or never go out."""
        return self.status == self.Status.SENT

    def text_in(self, language: str) -> tuple[str, str, str]:
        """(language, subject, body) in `language` ("fr", "en", "fr-ca"…), else in the other
        language the announcement is written in."""
        english = (language or "").lower().startswith("en")
        ordered = [("en", self.subject_en, self.body_en), ("fr", self.subject_fr, self.body_fr)]
        if not english:
            ordered.reverse()
        return next((t for t in ordered if t[1]), ordered[0])
