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

A subscriber that usually has nothing to do (ML backends and webhooks on every submit) gives a
``Guard``: a boolean SQL expression of the payload ("has this project a backend?"). After commit
the registry asks all of an event's guards in one statement and calls only the subscribers whose
guard holds: one round trip per submit however many apps listen.

The events and their payloads are below (docs/architecture.md lists who emits and who listens).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction

from labelstudio.core import rawsql

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
class Guard:
    """Whether a subscriber has work for a payload: ``sql`` is a boolean SQL expression with
    ``%s`` placeholders, ``params(**payload)`` their values."""

    sql: str
    params: Callable[..., list[Any]]


@dataclass(frozen=True)
class Subscriber:
    fn: Callable[..., Any]
    on_commit: bool
    guard: Guard | None = None


_registry: dict[str, list[Subscriber]] = {event: [] for event in EVENTS}


def subscribe(event: str, fn: Callable[..., Any], *, on_commit: bool = True, guard: Guard | None = None) -> None:
    """Call ``fn(event=event, **payload)`` for each ``emit(event, ...)`` (only when ``guard``, if
    given, holds after commit). Idempotent per (event, fn)."""
    if event not in _registry:
        raise ValueError(f"unknown event {event!r}; expected one of {list(EVENTS)}")
    if guard is not None and not on_commit:
        raise ValueError("a guard is asked after commit: an in-transaction subscriber cannot have one")
    if any(s.fn is fn for s in _registry[event]):
        return
    _registry[event].append(Subscriber(fn=fn, on_commit=on_commit, guard=guard))


def unsubscribe(event: str, fn: Callable[..., Any]) -> None:
    _registry[event] = [s for s in _registry[event] if s.fn is not fn]


def subscribers(event: str) -> list[Subscriber]:
    return list(_registry[event])


def emit(event: str, **payload: Any) -> None:
    """Hand ``payload`` to the event's subscribers: in-transaction ones now, the others on commit."""
    if event not in _registry:
        raise ValueError(f"unknown event {event!r}; expected one of {list(EVENTS)}")
    later = []
    for sub in _registry[event]:
        if sub.on_commit:
            later.append(sub)
        else:
            sub.fn(event=event, **payload)
    if later:
        transaction.on_commit(partial(_deliver, later, event, payload))


def _deliver(subs: list[Subscriber], event: str, payload: dict[str, Any]) -> None:
    """After commit: ask the guards in one statement, then run the subscribers that have work."""
    guards = [s.guard for s in subs if s.guard is not None]
    held = iter(_ask(guards, event, payload))
    for sub in subs:
        if sub.guard is None or next(held):
            _run(sub.fn, event, payload)


def _ask(guards: list[Guard], event: str, payload: dict[str, Any]) -> list[bool]:
    if not guards:
        return []
    sql = "SELECT " + ", ".join(f"({g.sql})" for g in guards)
    try:
        return [bool(v) for v in rawsql.one_row(sql, [v for g in guards for v in g.params(**payload)])]
    except Exception:  # noqa: BLE001 - as for a failing subscriber: logged, the commit stands
        log.exception("the guards of %s failed", event)
        return [False] * len(guards)


def _run(fn: Callable[..., Any], event: str, payload: dict[str, Any]) -> None:
    try:
        fn(event=event, **payload)
    except Exception:  # noqa: BLE001 - the write has committed; a subscriber must not turn it into an error
        log.exception("subscriber %s of %s failed", getattr(fn, "__qualname__", fn), event)
