"""Celery tasks of the annotators app: thin, they call services."""

from celery import shared_task


@shared_task(name="annotators.expire_task_locks")
def expire_task_locks() -> dict:
    from .services import task_locks_expire

    return {"deleted": task_locks_expire()}
