"""The register of confidentiality incidents (Law 25, s. 3.8, and the Regulation respecting
confidentiality incidents, s. 11): every incident is recorded, serious or not, with what
the regulation asks the register to hold."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Incident(models.Model):
    """One incident: of an edition (its organizers keep it) or of the whole site (staff)."""

    edition = models.ForeignKey(
        "hackqc.Edition",
        on_delete=models.SET_NULL,  # the register outlives an edition deleted later
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("edition"),
        help_text=_("Empty: an incident of the whole site."),
    )
    title = models.CharField(_("what happened"), max_length=200)
    circumstances = models.TextField(
        _("circumstances"),
        max_length=5_000,
        help_text=_("How it happened and how it was found. Describe people, never name them."),
    )
    information_involved = models.TextField(
        _("personal information involved"),
        max_length=2_000,
        help_text=_("Which kinds of information: e-mail addresses, names, reviews…"),
    )
    occurred_at = models.DateTimeField(_("occurred on"))
    occurred_until = models.DateTimeField(
        _("until"), null=True, blank=True, help_text=_("For an incident that lasted.")
    )
    discovered_at = models.DateTimeField(_("known since"))
    people_affected = models.TextField(
        _("who was affected"),
        max_length=2_000,
        help_text=_("Who, by category: the participants of a team, the jury, every account…"),
    )
    people_count = models.PositiveIntegerField(
        _("number of people affected"),
        null=True,
        blank=True,
        help_text=_("An estimate if unknown; empty if it cannot be estimated."),
    )
    serious_risk = models.BooleanField(
        _("risk of serious injury"),
        default=False,
        help_text=_(
            "Given the sensitivity of the information, the consequences of its use and their "
            "likelihood. A serious risk must be reported promptly to the Commission d'accès "
            "à l'information and to the people concerned."
        ),
    )
    risk_assessment = models.TextField(_("assessment of the risk"), max_length=3_000, blank=True)
    measures = models.TextField(
        _("what was done"),
        max_length=5_000,
        help_text=_("Measures taken to reduce the risk of injury and to prevent a new incident."),
    )
    cai_notified_at = models.DateTimeField(
        _("Commission d'accès à l'information notified on"), null=True, blank=True
    )
    people_notified_at = models.DateTimeField(
        _("people concerned notified on"), null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("confidentiality incident")
        verbose_name_plural = _("confidentiality incidents")
        ordering = ["-discovered_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(occurred_until__isnull=True) | Q(occurred_until__gte=F("occurred_at")),
                name="incident_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(discovered_at__gte=F("occurred_at")),
                name="incident_known_after_it_occurred",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.edition_id:
            return reverse("incidents:detail", args=[self.edition.slug, self.pk])
        return reverse("incidents:site_detail", args=[self.pk])

    @property
    def needs_notice(self) -> bool:
        """A serious risk that the Commission or the people have not been told of yet."""
        return self.serious_risk and (self.cai_notified_at is None or not self.people_notified_at)
