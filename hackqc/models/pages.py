from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .editions import Edition


class EditionPage(models.Model):
    """One version of an edition's rules or code of conduct, written by its organizers in
    markdown. Versions are never changed: a new text is a new version, so a registration
    can name exactly the text the person accepted."""

    class Kind(models.TextChoices):
        RULES = "rules", _("Rules")
        CONDUCT = "conduct", _("Code of conduct")

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="pages", verbose_name=_("edition")
    )
    kind = models.CharField(_("page"), max_length=20, choices=Kind)
    version = models.PositiveIntegerField(_("version"))
    body = models.TextField(_("text"), max_length=50_000, help_text=_("Markdown."))
    created_at = models.DateTimeField(_("published at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("edition page")
        verbose_name_plural = _("edition pages")
        ordering = ["edition", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "kind", "version"], name="edition_page_unique_version"
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="edition_page_version_1"
            ),
        ]

    def __str__(self):
        return f"{self.edition} — {self.get_kind_display()} v{self.version}"

    def get_absolute_url(self):
        url = reverse("edition_page", kwargs={"slug": self.edition.slug, "kind": self.kind})
        return f"{url}?version={self.version}"
