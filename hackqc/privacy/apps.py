from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Its own app (label `privacy`) for its own models and migrations."""

    name = "hackqc.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        from . import core  # noqa: F401 — the personal data of the core apps
