from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("Teams")

    def ready(self):
        from . import privacy, signals, space  # noqa: F401 — receivers, cards, personal data
