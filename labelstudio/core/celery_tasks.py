"""Celery tasks of the core app: the job reaper (on beat)."""

from celery import shared_task


@shared_task(name="core.reap_jobs")
def reap_jobs() -> dict:
    from .jobs import fresh_connections
    from .reaper import reap_jobs as reap

    fresh_connections()
    return reap()
