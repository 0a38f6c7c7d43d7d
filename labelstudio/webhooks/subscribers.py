"""Webhooks' subscriptions to labelstudio/core/events.py, made once in ``WebhooksConfig.ready()``:
every event in ``events.WEBHOOK_EVENTS`` reaches the project's webhooks that want it.

- PROJECT_CREATED/UPDATED, TASKS_CREATED/UPDATED/DELETED: one indexed query, then a delivery per
  webhook after commit; PROJECT_DELETED in the transaction (the project's webhooks are read before
  the delete takes them away);
- ANNOTATION_*: on every submit, so a guard (one EXISTS, asked with the ML backends' one in one
  statement) and the payloads built by the worker
  (``celery_tasks.process_completion_event``); the completion is snapshotted now, so
  ANNOTATION_DELETED still carries what was deleted;
- JOB_FINISHED: the job's row.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model

from labelstudio.core import events
from labelstudio.core.models import Job
from labelstudio.core.outbox import send_after_commit
from projects.models import Project

from .celery_tasks import process_completion_event
from .models import Webhook
from .payloads import completion_payload, job_payload, project_payload
from .services import webhooks_emit


def subscribe_all() -> None:
    for event in (events.PROJECT_CREATED, events.PROJECT_UPDATED):
        events.subscribe(event, on_project_event)
    events.subscribe(events.PROJECT_DELETED, on_project_event, on_commit=False)
    for event in (events.TASKS_CREATED, events.TASKS_UPDATED, events.TASKS_DELETED):
        events.subscribe(event, on_tasks_event)
    for event in events.COMPLETION_EVENTS:
        events.subscribe(event, on_completion_event, guard=ACTIVE)
    events.subscribe(events.JOB_FINISHED, on_job_finished)


def on_project_event(*, event: str, project: Project) -> None:
    webhooks_emit(project_id=project.pk, event=event, payload=lambda: {"project": project_payload(project)})


def on_tasks_event(*, event: str, project: Project, task_ids: Iterable[int] | None) -> None:
    def payload() -> dict[str, Any]:
        body: dict[str, Any] = {"project": {"id": project.pk}}
        if task_ids is not None:
            body["tasks"] = [{"id": pk} for pk in task_ids]
        return body

    webhooks_emit(project_id=project.pk, event=event, payload=payload)


# asked on every submit, in one statement with the ML backends' guard (no ORM compile: the ORM's
# .exists() cost ~1 ms of CPU per submit, docs/benchmarks.md "Issue 16 refactor")
ACTIVE = events.Guard(
    sql=f"EXISTS (SELECT 1 FROM {Webhook._meta.db_table} WHERE project_id = %s AND is_active)",  # noqa: S608
    params=lambda completion, **_: [completion.project_id],
)


def on_completion_event(*, event: str, completion: Model) -> None:
    """Called after commit when the project has an active webhook (``ACTIVE``)."""
    project_id = completion.project_id  # type: ignore[attr-defined]
    snapshot = completion_payload(completion)
    send_after_commit(process_completion_event, project_id, event, snapshot)  # kept if the broker is down


def on_job_finished(*, event: str, job_id: int) -> int:
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.project_id is None or not job.is_finished:
        return 0
    return webhooks_emit(project_id=job.project_id, event=event, payload={"job": job_payload(job)})
