"""Celery application: settings under the CELERY_ namespace, tasks autodiscovered."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plg_platform.settings.local")

app = Celery("plg_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
