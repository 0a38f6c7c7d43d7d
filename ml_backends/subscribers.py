"""What the ML app does when other apps write: its subscriptions to labelstudio/core/events.py,
made once in ``MlBackendsConfig.ready()``.

- completion events → ML backends' /webhook and the project's webhooks (``on_completion_event``,
  one Celery message through the outbox);
- JOB_FINISHED → the project's webhooks;
- IMPORT_FINISHED → human-in-the-loop priorities (inside the import's transaction: they commit
  or roll back with the tasks) and, on commit, pre-labeling jobs when the project auto-pre-labels;
- PROJECT_* and TASKS_* → the project's webhooks.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from labelstudio.core import events
from labelstudio.core.models import Job
from projects.models import Project

from . import predictions, services, webhooks


def subscribe_all() -> None:
    for event in events.COMPLETION_EVENTS:
        events.subscribe(event, on_completion)
    events.subscribe(events.JOB_FINISHED, on_job_finished)
    events.subscribe(events.IMPORT_FINISHED, on_import_prioritize, on_commit=False)
    events.subscribe(events.IMPORT_FINISHED, on_import_prelabel)
    for event in (events.PROJECT_CREATED, events.PROJECT_UPDATED):
        events.subscribe(event, on_project_event)
    # in the transaction: the project's webhooks are read before the delete takes them away
    events.subscribe(events.PROJECT_DELETED, on_project_event, on_commit=False)
    events.subscribe(events.TASKS_CREATED, on_tasks_event)
    events.subscribe(events.TASKS_DELETED, on_tasks_event)


def on_completion(*, event: str, completion: services.CompletionRow) -> None:
    services.on_completion_event(completion=completion, event=event)


def on_job_finished(*, event: str, job_id: int) -> None:
    services.job_finished_notify(job_id=job_id)


def on_import_prioritize(*, event: str, project: Project, job: Job, counts: dict[str, Any]) -> None:
    from tasks.models import Task  # a model of the app below, read by pk

    if counts.get("prediction_count"):
        task_ids = Task.objects.filter(import_job=job).values_list("pk", flat=True)
        predictions.hitl_prioritize(project=project, task_ids=task_ids)


def on_import_prelabel(*, event: str, project: Project, job: Job, counts: dict[str, Any]) -> None:
    services.prelabel_after_import(project=project, task_ids_or_import_job=job)


def on_project_event(*, event: str, project: Project) -> None:
    webhooks.webhooks_emit(
        project_id=project.pk, event=event, payload=lambda: {"project": webhooks.project_payload(project)}
    )


def on_tasks_event(*, event: str, project: Project, task_ids: Iterable[int] | None) -> None:
    def payload() -> dict[str, Any]:
        body: dict[str, Any] = {"project": {"id": project.pk}}
        if task_ids is not None:
            body["tasks"] = [{"id": pk} for pk in task_ids]
        return body

    webhooks.webhooks_emit(project_id=project.pk, event=event, payload=payload)
