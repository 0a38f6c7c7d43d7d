"""The Celery app. Task modules are named ``celery_tasks.py`` so they never clash with the ``tasks`` app."""

import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labelstudio.settings")

app = Celery("labelstudio")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="celery_tasks")


@worker_ready.connect
def _announce(sender=None, **kwargs):
    """Tell /health that a worker is alive (labelstudio/core/health.py)."""
    from labelstudio.core.health import worker_pulse_start

    worker_pulse_start(getattr(sender, "hostname", "worker"))
