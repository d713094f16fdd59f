from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .editions import Edition, HostSite


class AgendaItem(models.Model):
    """One slot of an edition's programme: a workshop, a mentoring slot, a meal, a pitch…"""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        MENTORING = "mentoring", _("Mentoring")
        MEAL = "meal", _("Meal")
        PITCH = "pitch", _("Pitch")
        CEREMONY = "ceremony", _("Ceremony")
        OTHER = "other", _("Other")

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("edition")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.WORKSHOP)
    title = models.CharField(_("title"), max_length=150)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    host_site = models.ForeignKey(
        HostSite,
        on_delete=models.PROTECT,
        related_name="agenda_items",
        null=True,
        blank=True,
        verbose_name=_("host site"),
        help_text=_("Empty: at every host site (or online)."),
    )
    location = models.CharField(
        _("room or place"), max_length=150, blank=True, help_text=_("E.g. Room B-204.")
    )
    description = models.TextField(_("description"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["starts_at", "ends_at", "pk"]
        indexes = [models.Index(fields=["edition", "starts_at"], name="agenda_edition_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="agenda_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The end cannot come before the start.")
        if self.host_site_id and self.host_site.edition_id != self.edition_id:
            errors["host_site"] = _("This host site belongs to another edition.")
        if errors:
            raise ValidationError(errors)
