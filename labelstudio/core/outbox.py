"""Celery messages that must not be lost when the broker is down.

``send_after_commit(task, *args)`` sends once the caller's transaction commits. If the broker
refuses (Redis down, network), the message is kept as an ``OutboxMessage`` row and the request
that saved the data still succeeds; the reaper (reaper.py, on beat) sends kept messages later.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from .models import OutboxMessage

log = logging.getLogger(__name__)
BATCH = 500


def send_after_commit(task: Any, *args, **kwargs) -> None:
    transaction.on_commit(lambda: send_or_keep(task, *args, **kwargs))


def send_or_keep(task: Any, *args, **kwargs) -> bool:
    """Send now; on a broker failure keep the message for the reaper. True when sent."""
    try:
        task.apply_async(args, kwargs)
        return True
    except Exception as exc:  # noqa: BLE001 - any broker failure: keep it, never fail the caller
        log.warning("could not send %s (%s); kept in the outbox", task.name, exc)
    try:
        OutboxMessage.objects.create(task_name=task.name, args=list(args), kwargs=kwargs, tries=1, last_error="")
    except Exception:  # noqa: BLE001 - the database is gone too: nothing more we can do here
        log.exception("could not keep %s in the outbox", task.name)
    return False


def outbox_deliver() -> dict:
    """Send kept messages, oldest first; stop at the first broker failure (it is still down)."""
    # the project's Celery app sits above core (labelstudio/__init__ imports it): imported when sending
    from labelstudio.celery import app

    sent = dropped = 0
    for message in OutboxMessage.objects.order_by("id")[:BATCH]:
        task = app.tasks.get(message.task_name)
        if task is None:
            log.error("outbox %s: no task %s; dropped", message.pk, message.task_name)
            message.delete()
            dropped += 1
            continue
        try:
            task.apply_async(message.args, message.kwargs)
        except Exception as exc:  # noqa: BLE001 - broker still down
            OutboxMessage.objects.filter(pk=message.pk).update(tries=message.tries + 1, last_error=str(exc)[:500])
            break
        message.delete()
        sent += 1
    return {"sent": sent, "dropped": dropped, "left": OutboxMessage.objects.count()}
