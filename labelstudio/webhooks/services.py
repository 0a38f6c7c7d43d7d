"""Writes for webhooks: registration, queueing an event for delivery, and delivery (worker side).

``webhooks_emit(project_id=..., event=..., payload=...)`` only enqueues, after commit, one Celery
delivery per interested webhook. Delivery (``webhook_deliver``) checks the URL again, POSTs with
the webhook's headers and a short timeout, and raises ``DeliveryError`` on a transient failure so
that Celery retries it with backoff.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from labelstudio.core.events import WEBHOOK_EVENTS as EVENTS
from labelstudio.core.exceptions import ApplicationError
from labelstudio.core.http import EVENT_TIMEOUT, DeliveryError, JSONClient, post_event
from labelstudio.core.net import check_url
from labelstudio.core.outbox import send_after_commit
from projects.models import Project
from tasks.models import Task

from .models import Webhook
from .payloads import project_payload, task_payload


# --- registration --------------------------------------------------------------------------
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
    from .celery_tasks import deliver_webhook  # celery_tasks imports this module: a cycle

    hooks = [h for h in Webhook.objects.filter(project_id=project_id, is_active=True) if h.wants(event)]
    if hooks and callable(payload):
        payload = payload()
    for hook in hooks:
        body = {"action": event, **payload} if hook.send_payload else {"action": event, "project": {"id": project_id}}
        send_after_commit(deliver_webhook, hook.pk, body)  # kept in the outbox if the broker is down
    return len(hooks)


def completion_event_process(*, project_id: int, event: str, annotation: dict) -> int:
    """Worker side of a completion event: the project's and task's payloads, then one delivery
    per webhook. Returns how many were queued."""
    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        return 0
    task = Task.objects.filter(pk=annotation.get("task")).first()
    payload = {"annotation": annotation, "project": project_payload(project)}
    if task is not None:
        payload["task"] = task_payload(task)
    return webhooks_emit(project_id=project_id, event=event, payload=payload)


def webhook_deliver(*, webhook_id: int, body: dict) -> str:
    """Deliver one event to one webhook and record the outcome on the row. A transient failure
    raises DeliveryError (Celery retries with backoff); a refused one (4xx, unsafe URL) does not."""
    hook = Webhook.objects.filter(pk=webhook_id, is_active=True).first()
    if hook is None:
        return "skipped: webhook removed or inactive"
    client = JSONClient(hook.url, headers=hook.headers, timeout=EVENT_TIMEOUT, retries=0)
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
