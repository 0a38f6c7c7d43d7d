"""Cross-app events: one explicit registry instead of apps importing each other at run time.

An app that must react to another app's write subscribes in its ``AppConfig.ready()``::

    events.subscribe(events.ANNOTATION_CREATED, on_completion_event)

and the app that writes calls ``events.emit(events.ANNOTATION_CREATED, completion=c)`` inside its
transaction. Subscribers run once that transaction commits (``transaction.on_commit``; at once
when there is none) and never on rollback; a subscriber that sends a Celery message uses
``core/outbox.py: send_after_commit`` (kept when the broker is down) like any other code. A
subscriber registered with ``on_commit=False`` runs at ``emit``, inside the emitter's
transaction, for work that must commit or roll back with the write (HITL priorities of an
import). A failing on-commit subscriber is logged and never fails the request that committed.

The events and their payloads are below (docs/architecture.md lists who emits and who listens).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction

log = logging.getLogger(__name__)

# Label Studio's webhook event names (also the names our webhooks and ML backends receive).
PROJECT_CREATED = "PROJECT_CREATED"  # project=
PROJECT_UPDATED = "PROJECT_UPDATED"  # project=
PROJECT_DELETED = "PROJECT_DELETED"  # project= (emitted before the delete)
TASKS_CREATED = "TASKS_CREATED"  # project=, task_ids=
TASKS_UPDATED = "TASKS_UPDATED"  # project=, task_ids= (data, meta or overlap of existing tasks)
TASKS_DELETED = "TASKS_DELETED"  # project=, task_ids= (emitted before the delete)
ANNOTATION_CREATED = "ANNOTATION_CREATED"  # completion=
ANNOTATION_UPDATED = "ANNOTATION_UPDATED"  # completion=
ANNOTATION_DELETED = "ANNOTATION_DELETED"  # completion= (the deleted row, still in memory)
JOB_FINISHED = "JOB_FINISHED"  # job_id=
# Platform-internal events (not webhook actions).
IMPORT_FINISHED = "IMPORT_FINISHED"  # project=, job=, counts= (inside the import's transaction)

COMPLETION_EVENTS = (ANNOTATION_CREATED, ANNOTATION_UPDATED, ANNOTATION_DELETED)
WEBHOOK_EVENTS = (
    PROJECT_CREATED, PROJECT_UPDATED, PROJECT_DELETED, TASKS_CREATED, TASKS_UPDATED, TASKS_DELETED,
    *COMPLETION_EVENTS, JOB_FINISHED,
)  # fmt: skip
EVENTS = (*WEBHOOK_EVENTS, IMPORT_FINISHED)


@dataclass(frozen=True)
class Subscriber:
    fn: Callable[..., Any]
    on_commit: bool


_registry: dict[str, list[Subscriber]] = {event: [] for event in EVENTS}


def subscribe(event: str, fn: Callable[..., Any], *, on_commit: bool = True) -> None:
    """Call ``fn(event=event, **payload)`` for each ``emit(event, ...)``. Idempotent per (event, fn)."""
    if event not in _registry:
        raise ValueError(f"unknown event {event!r}; expected one of {list(EVENTS)}")
    if any(s.fn is fn for s in _registry[event]):
        return
    _registry[event].append(Subscriber(fn=fn, on_commit=on_commit))


def unsubscribe(event: str, fn: Callable[..., Any]) -> None:
    _registry[event] = [s for s in _registry[event] if s.fn is not fn]


def subscribers(event: str) -> list[Subscriber]:
    return list(_registry[event])


def emit(event: str, **payload: Any) -> None:
    """Hand ``payload`` to the event's subscribers: in-transaction ones now, the others on commit."""
    if event not in _registry:
        raise ValueError(f"unknown event {event!r}; expected one of {list(EVENTS)}")
    for sub in _registry[event]:
        if sub.on_commit:
            transaction.on_commit(partial(_run, sub.fn, event, payload))
        else:
            sub.fn(event=event, **payload)


def _run(fn: Callable[..., Any], event: str, payload: dict[str, Any]) -> None:
    try:
        fn(event=event, **payload)
    except Exception:  # noqa: BLE001 - the write has committed; a subscriber must not turn it into an error
        log.exception("subscriber %s of %s failed", getattr(fn, "__qualname__", fn), event)
