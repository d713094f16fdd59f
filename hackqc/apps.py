from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HackqcConfig(AppConfig):
    name = "hackqc"
    verbose_name = _("HackQC")

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import (
            checks,  # noqa: F401  (registers the deployment checks)
            cloning,  # noqa: F401  (registers the core's copier)
        )
        from .db import register_sqlite_functions
        from .space import organizer_cards, register

        connection_created.connect(register_sqlite_functions)
        register(organizer_cards)

        # Any row written renews the cached pages of its app (hackqc.pagecache).
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .pagecache import touch_model

        post_save.connect(touch_model, dispatch_uid="pagecache-save")
        post_delete.connect(touch_model, dispatch_uid="pagecache-delete")
        m2m_changed.connect(touch_model, dispatch_uid="pagecache-m2m")
