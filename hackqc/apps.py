from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HackqcConfig(AppConfig):
    name = "hackqc"
    verbose_name = _("HackQC")

    def ready(self):
        from django.db.backends.signals import connection_created

        from .db import register_sqlite_functions
        from .space import organizer_cards, register

        connection_created.connect(register_sqlite_functions)
        register(organizer_cards)
