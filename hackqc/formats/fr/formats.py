# Québec usage: "3 décembre 2026, 14 h 30" and ISO short dates. Django's fr_CA module is the
# base; its hour sign is written escaped here ("h" alone is a format character).
from django.conf.locale.fr_CA.formats import *  # noqa: F403

TIME_FORMAT = "H\xa0\\h\xa0i"
DATETIME_FORMAT = "j F Y, H\xa0\\h\xa0i"
SHORT_DATETIME_FORMAT = "Y-m-d H\xa0\\h\xa0i"
