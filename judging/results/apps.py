from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    """Prizes, result snapshots and publication; its own app for its own migrations."""

    name = "judging.results"
    label = "results"
    verbose_name = _("Results")

    def ready(self):
        from . import (
            cloning,  # noqa: F401 — copies prizes when an edition is cloned
            privacy,  # noqa: F401 — declares its personal data
            space,  # noqa: F401 — registers the certificates' card
        )
