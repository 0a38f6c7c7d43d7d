"""The Celery app. Task modules are named ``celery_tasks.py`` so they never clash with the ``tasks`` app."""

import os

from celery import Celery, bootsteps
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labelstudio.settings")

app = Celery("labelstudio")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="celery_tasks")


@worker_ready.connect
def _announce(sender=None, **kwargs):
    """Tell /health that a worker is alive (labelstudio/core/health.py)."""
    # lazy: this module is imported (labelstudio/__init__) before Django's apps are ready
    from labelstudio.core.health import worker_pulse_start

    worker_pulse_start(getattr(sender, "hostname", "worker"))


class ThreadedBeat(bootsteps.StartStopStep):
    """Beat as a thread of the worker (LABELSTUDIO_BEAT_THREAD=1, set by ``manage.py start`` with a
    thread pool): Celery's ``--beat`` forks a whole extra process (~90 MB) for a clock."""

    label = "ThreadedBeat"
    conditional = True

    def __init__(self, w, **kwargs):
        self.enabled = os.environ.get("LABELSTUDIO_BEAT_THREAD") == "1"
        super().__init__(w, **kwargs)

    def create(self, w):
        from celery.beat import EmbeddedService

        return EmbeddedService(
            w.app,
            thread=True,
            schedule_filename=os.environ.get("LABELSTUDIO_BEAT_SCHEDULE", "celerybeat-schedule"),
            scheduler_cls=w.app.conf.beat_scheduler,
        )


app.steps["worker"].add(ThreadedBeat)
