# English dates as Canada writes them ("3 Dec 2026"), not the United States' ("Dec. 3, 2026").
from django.conf.locale.en_CA.formats import *  # noqa: F403
