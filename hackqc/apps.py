from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HackqcConfig(AppConfig):
    name = "hackqc"
    verbose_name = _("HackQC")
