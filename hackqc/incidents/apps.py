from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    """The register of confidentiality incidents; its own app (label `incidents`) for its
    own model and migrations."""

    name = "hackqc.incidents"
    label = "incidents"
    verbose_name = _("Confidentiality incidents")

    def ready(self):
        from . import privacy  # noqa: F401 — what the register holds about people
