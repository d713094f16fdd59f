"""The open-data catalogue synced from CKAN portals (Données Québec by default).

The fields here are the ones other apps rely on: extend, never rename.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Portal(models.Model):
    name = models.SlugField(_("name"), max_length=50, unique=True)
    title = models.CharField(_("title"), max_length=150)
    api_url = models.URLField(_("Action API base URL"))
    dataset_url_pattern = models.CharField(
        _("dataset page URL pattern"),
        max_length=300,
        help_text=_("With {name} standing for the dataset's name."),
    )

    class Meta:
        verbose_name = _("portal")
        verbose_name_plural = _("portals")

    def __str__(self):
        return self.title


class Organization(models.Model):
    portal = models.ForeignKey(
        Portal, on_delete=models.CASCADE, related_name="organizations", verbose_name=_("portal")
    )
    ckan_id = models.CharField(_("CKAN id"), max_length=100)
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["portal", "ckan_id"], name="organization_unique_id")
        ]

    def __str__(self):
        return self.title


class Dataset(models.Model):
    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Withdrawn from the portal")

    portal = models.ForeignKey(
        Portal, on_delete=models.PROTECT, related_name="datasets", verbose_name=_("portal")
    )
    ckan_id = models.UUIDField(_("CKAN id"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=500)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="datasets",
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.ACTIVE)

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["portal", "name"], name="dataset_unique_name")
        ]

    def __str__(self):
        return self.title
