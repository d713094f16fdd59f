from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    """The open-data catalogue synced from CKAN portals; its own app for its own migrations."""

    name = "submissions.catalogue"
    label = "catalogue"
    verbose_name = _("Open-data catalogue")

    def ready(self):
        from . import privacy  # noqa: F401 — declares its personal data
