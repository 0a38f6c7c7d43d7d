"""What the ML app does when other apps write: its subscriptions to labelstudio/core/events.py,
made once in ``MlBackendsConfig.ready()``.

- completion events → ML backends' /webhook and training every N completions
  (``completion_events.on_completion_event``, one Celery message through the outbox);
- IMPORT_FINISHED → human-in-the-loop priorities (inside the import's transaction: they commit
  or roll back with the tasks) and, on commit, pre-labeling jobs when the project auto-pre-labels.

The project's webhooks subscribe on their own (labelstudio/webhooks/subscribers.py).
"""

from __future__ import annotations

from typing import Any

from labelstudio.core import events
from labelstudio.core.models import Job
from projects.models import Project
from tasks.models import Task

from . import completion_events, predictions, services


def subscribe_all() -> None:
    for event in events.COMPLETION_EVENTS:
        events.subscribe(event, on_completion, guard=completion_events.LISTENERS)
    events.subscribe(events.IMPORT_FINISHED, on_import_prioritize, on_commit=False)
    events.subscribe(events.IMPORT_FINISHED, on_import_prelabel)


def on_completion(*, event: str, completion: services.CompletionRow) -> None:
    completion_events.on_completion_event(completion=completion, event=event)


def on_import_prioritize(*, event: str, project: Project, job: Job, counts: dict[str, Any]) -> None:
    if counts.get("prediction_count"):
        task_ids = Task.objects.filter(import_job=job).values_list("pk", flat=True)
        predictions.hitl_prioritize(project=project, task_ids=task_ids, notify=False)


def on_import_prelabel(*, event: str, project: Project, job: Job, counts: dict[str, Any]) -> None:
    services.prelabel_after_import(project=project, task_ids_or_import_job=job)
