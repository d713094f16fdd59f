"""The Celery application: configuration comes from Django's settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hackqc.settings")

app = Celery("hackqc")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
