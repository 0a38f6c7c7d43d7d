"""Completion events for ML backends: their /webhook and training every N completions.

Request side, ``on_completion_event`` (subscribed in subscribers.py with the guard ``LISTENERS``,
one indexed EXISTS that the registry asks with the webhooks' one): one Celery message after
commit. Worker side, ``completion_event_process``: each backend that wants events gets one
delivery (retried on its own, ``ml_event_deliver``) and a backend with
``train_every_n`` starts a training job every N new completions. The project's webhooks get the
same events through labelstudio/webhooks, which subscribes on its own.
"""

from __future__ import annotations

from django.db.models import F

from labelstudio.core.events import ANNOTATION_CREATED, COMPLETION_EVENTS, Guard
from labelstudio.core.exceptions import ApplicationError
from labelstudio.core.http import post_event
from labelstudio.core.models import Job
from labelstudio.core.outbox import send_after_commit, send_or_keep
from labelstudio.webhooks.payloads import completion_payload, project_payload, task_payload
from projects.models import Project
from tasks.models import Task

from .backends import client_for
from .models import MLBackend
from .services import train_start

#: the registry's guard of ``on_completion_event`` (asked with the other apps' in one statement)
LISTENERS = Guard(
    sql=f"EXISTS (SELECT 1 FROM {MLBackend._meta.db_table} WHERE project_id = %s)",  # noqa: S608
    params=lambda completion, **_: [completion.project_id],
)


def on_completion_event(*, completion, event: str) -> None:
    """Called after commit when the project has a backend (``LISTENERS``): one Celery message;
    backends are called by the worker. The completion is snapshotted now, so
    ANNOTATION_DELETED still carries what was deleted."""
    from .celery_tasks import process_completion_event  # celery_tasks imports this module: a cycle

    if event not in COMPLETION_EVENTS:
        raise ValueError(f"unknown completion event {event!r}")
    project_id = completion.project_id
    snapshot = completion_payload(completion)
    send_after_commit(process_completion_event, project_id, event, snapshot)  # kept if the broker is down


def completion_event_process(*, project_id: int, event: str, annotation: dict) -> dict:
    """Fan a completion event out to the backends' /webhook, and start every-N training."""
    from .celery_tasks import deliver_ml_event  # celery_tasks imports this module: a cycle

    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        return {"skipped": "project deleted"}
    backends = list(MLBackend.objects.filter(project_id=project_id))
    if not backends:
        return {"backends": 0, "training_jobs": []}
    task = Task.objects.filter(pk=annotation.get("task")).first()
    payload = {"annotation": annotation, "project": project_payload(project)}
    if task is not None:
        payload["task"] = task_payload(task)

    sent, trained = 0, []
    for backend in backends:
        if backend.send_completion_events:
            send_or_keep(deliver_ml_event, backend.pk, {"action": event, **payload})
            sent += 1
        if event == ANNOTATION_CREATED and backend.train_every_n:
            MLBackend.objects.filter(pk=backend.pk).update(completions_since_train=F("completions_since_train") + 1)
            reset = MLBackend.objects.filter(pk=backend.pk, completions_since_train__gte=backend.train_every_n).update(
                completions_since_train=0
            )
            if reset and not _training_queued(backend):
                trained.append(train_start(backend=backend, created_by=None, reason="every_n").pk)
    return {"backends": sent, "training_jobs": trained}


def _training_queued(backend: MLBackend) -> bool:
    """A training job for this backend is already waiting: don't stack another."""
    return Job.objects.filter(kind=Job.Kind.TRAIN, status=Job.Status.QUEUED, params__ml_backend=backend.pk).exists()


def ml_event_deliver(*, backend_id: int, body: dict) -> str:
    """POST one event to a backend's /webhook (worker side; DeliveryError → Celery retries)."""
    backend = MLBackend.objects.filter(pk=backend_id).first()
    if backend is None:
        return "skipped: backend removed"
    client = client_for(backend, retries=0)
    try:
        post_event(client, body, "/webhook")
    except ApplicationError as exc:
        return f"refused: {exc}"
    finally:
        client.close()
    return "ok"
