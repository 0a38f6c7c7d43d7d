"""The Celery app. Task modules are named ``celery_tasks.py`` so they never clash with the ``tasks`` app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labelstudio.settings")

app = Celery("labelstudio")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="celery_tasks")
