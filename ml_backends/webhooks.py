"""Outgoing webhooks: a project's events POSTed to registered URLs by the worker, with retries.

``webhooks_emit(project_id=..., event=..., payload=...)`` is the one entry point for every app
(project, task, completion and job events); it only enqueues, after commit, one Celery delivery
per interested webhook. Delivery (``webhook_deliver``) checks the URL again, POSTs with the
webhook's headers and a short timeout, and raises ``DeliveryError`` on a transient failure so
that Celery retries it with backoff. ML backends get completion events through the same
delivery code (celery_tasks.deliver_ml_event). Payloads use Label Studio's shapes:
``{"action": EVENT, "project": {...}, "task": {...}, "annotation": {...}}``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from labelstudio.core.events import (  # the names live with the event registry
    ANNOTATION_CREATED,
    ANNOTATION_DELETED,
    ANNOTATION_UPDATED,
    COMPLETION_EVENTS,
    JOB_FINISHED,
    PROJECT_CREATED,
    PROJECT_DELETED,
    PROJECT_UPDATED,
    TASKS_CREATED,
    TASKS_DELETED,
    TASKS_UPDATED,
)
from labelstudio.core.events import WEBHOOK_EVENTS as EVENTS
from labelstudio.core.exceptions import ApplicationError
from labelstudio.core.net import check_url
from labelstudio.core.outbox import send_after_commit

from .client import EVENT_TIMEOUT, MLClient
from .models import Webhook

START_TRAINING = "START_TRAINING"

__all__ = [
    "ANNOTATION_CREATED", "ANNOTATION_DELETED", "ANNOTATION_UPDATED", "COMPLETION_EVENTS", "EVENTS",
    "JOB_FINISHED", "PROJECT_CREATED", "PROJECT_DELETED", "PROJECT_UPDATED", "START_TRAINING",
    "TASKS_CREATED", "TASKS_DELETED", "TASKS_UPDATED",
]  # fmt: skip


class DeliveryError(Exception):
    """A delivery that may succeed later (connection error, timeout, 5xx): Celery retries it."""


# --- registration --------------------------------------------------------------------------
def webhook_events_info() -> dict[str, dict]:
    """Label Studio's /api/webhooks/info shape: {EVENT: {name, description, key, organization-only}}."""
    project_level = {PROJECT_CREATED: False, PROJECT_DELETED: False, JOB_FINISHED: False}
    return {
        event: {
            "name": event.replace("_", " ").capitalize(),
            "description": "",
            "key": event,
            "organization-only": project_level.get(event, False),
        }
        for event in EVENTS
    }


def _clean(url: str | None, events, headers) -> None:
    if url is not None:
        check_url(url)
    if events is not None:
        if not isinstance(events, list) or any(e not in EVENTS for e in events):
            unknown = [e for e in events if e not in EVENTS] if isinstance(events, list) else events
            raise ApplicationError(f"unknown events {unknown!r}; expected some of {list(EVENTS)}", field="actions")
    if headers is not None and (
        not isinstance(headers, dict) or not all(isinstance(v, str | int | float) for v in headers.values())
    ):
        raise ApplicationError("headers must be an object of header names to string values", field="headers")


def webhook_create(
    *,
    project,
    url: str,
    events: list | None = None,
    send_payload: bool = True,
    headers: dict | None = None,
    is_active: bool = True,
) -> Webhook:
    _clean(url, events, headers)
    return Webhook.objects.create(
        project=project,
        url=url,
        events=events or [],
        send_payload=send_payload,
        headers=headers or {},
        is_active=is_active,
    )


def webhook_update(*, webhook: Webhook, **fields) -> Webhook:
    _clean(fields.get("url"), fields.get("events"), fields.get("headers"))
    for name in ("url", "events", "send_payload", "headers", "is_active"):
        if name in fields:
            setattr(webhook, name, fields[name])
    webhook.save()
    return webhook


def webhook_delete(*, webhook: Webhook) -> None:
    webhook.delete()


# --- emitting and delivering ----------------------------------------------------------------
def webhooks_emit(*, project_id: int, event: str, payload: dict | Callable[[], dict]) -> int:
    """Queue delivery of ``event`` to the project's webhooks that want it (after commit).

    Cheap: one indexed query; the HTTP happens in the worker. ``payload`` may be a function,
    called only when some webhook wants the event. Returns how many were queued.
    """
    from .celery_tasks import deliver_webhook

    hooks = [h for h in Webhook.objects.filter(project_id=project_id, is_active=True) if h.wants(event)]
    if hooks and callable(payload):
        payload = payload()
    for hook in hooks:
        body = {"action": event, **payload} if hook.send_payload else {"action": event, "project": {"id": project_id}}
        send_after_commit(deliver_webhook, hook.pk, body)  # kept in the outbox if the broker is down
    return len(hooks)


def post_event(client: MLClient, body: dict, path: str = "") -> None:
    """POST an event with the client's headers/auth; raise DeliveryError when worth retrying."""
    result = client.call("POST", path, body, timeout=EVENT_TIMEOUT, retries=0)
    if not result.ok:
        if result.transient:
            raise DeliveryError(result.error)
        raise ApplicationError(result.error)


def webhook_deliver(*, webhook_id: int, body: dict) -> str:
    """Deliver one event to one webhook and record the outcome on the row. A transient failure
    raises DeliveryError (Celery retries with backoff); a refused one (4xx, unsafe URL) does not."""
    hook = Webhook.objects.filter(pk=webhook_id, is_active=True).first()
    if hook is None:
        return "skipped: webhook removed or inactive"
    client = MLClient(hook.url, headers=hook.headers, timeout=EVENT_TIMEOUT, retries=0)
    status = "ok"
    try:
        post_event(client, body)
    except DeliveryError as exc:
        _record(hook, f"failed, will retry: {exc}")
        raise
    except ApplicationError as exc:
        status = f"refused: {exc}"
    finally:
        client.close()
    _record(hook, status)
    return status


def _record(hook: Webhook, status: str) -> None:
    Webhook.objects.filter(pk=hook.pk).update(last_status=status[:200], last_delivered_at=timezone.now())


# --- payloads (Label Studio's field names) --------------------------------------------------
def project_payload(project) -> dict:
    return {
        "id": project.pk,
        "title": project.title,
        "label_config": project.label_config,
        "model_version": project.model_version,
        "created_at": _iso(project.created_at),
    }


def task_payload(task) -> dict:
    return {
        "id": task.pk,
        "data": task.data,
        "meta": task.meta,
        "project": task.project_id,
        "is_labeled": task.is_labeled,
        "total_annotations": task.total_annotations,
        "total_predictions": task.total_predictions,
        "created_at": _iso(task.created_at),
        "updated_at": _iso(task.updated_at),
    }


def completion_payload(completion) -> dict:
    """The completion as Label Studio's "annotation" object; reads no related rows."""
    return {
        "id": completion.pk,
        "task": completion.task_id,
        "project": completion.project_id,
        "result": completion.result,
        "completed_by": completion.completed_by_id,
        "was_cancelled": completion.was_cancelled,
        "ground_truth": completion.ground_truth,
        "lead_time": completion.lead_time,
        "parent_prediction": completion.parent_prediction_id,
        "parent_annotation": completion.parent_completion_id,
        "created_at": _iso(completion.created_at),
        "updated_at": _iso(completion.updated_at),
    }


def _iso(value) -> str | None:
    return value.isoformat() if value else None
