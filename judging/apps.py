from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudgingConfig(AppConfig):
    name = "judging"
    verbose_name = _("Jury")

    def ready(self):
        from . import cloning, privacy, space  # noqa: F401 — copier, personal data, space cards
        from .public_vote import notices  # noqa: F401 — the ballot's notice on public pages
