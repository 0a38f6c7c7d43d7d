"""Celery tasks of the ML app: thin — load by id, call the service, let Celery retry deliveries."""

from celery import shared_task

from labelstudio.core.http import DELIVERY_RETRY
from labelstudio.core.jobs import job_run

RETRY = DELIVERY_RETRY


@shared_task(name="ml_backends.run_prelabel", acks_late=True)
def run_prelabel(job_id: int) -> dict:
    from .prelabel import prelabel_run

    return job_run(job_id, prelabel_run)  # job_run notifies JOB_FINISHED


@shared_task(name="ml_backends.run_train", acks_late=True)
def run_train(job_id: int) -> dict:
    from .training import train_run

    return job_run(job_id, train_run)  # job_run notifies JOB_FINISHED


@shared_task(name="ml_backends.process_completion_event", acks_late=True)
def process_completion_event(project_id: int, event: str, annotation: dict) -> dict:
    from .completion_events import completion_event_process

    return completion_event_process(project_id=project_id, event=event, annotation=annotation)


@shared_task(name="ml_backends.deliver_ml_event", acks_late=True, **RETRY)
def deliver_ml_event(backend_id: int, body: dict) -> str:
    from .completion_events import ml_event_deliver

    return ml_event_deliver(backend_id=backend_id, body=body)


@shared_task(name="ml_backends.check_backends")
def check_backends() -> dict:
    from .services import ml_backends_check_all

    return {"not_connected": ml_backends_check_all()}
