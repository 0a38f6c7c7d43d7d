"""What the broker still holds: ids of the messages waiting in Redis or delivered and not yet
acknowledged. The reaper compares a queued job's ``message_id`` with them to tell a job that
waits its turn from one whose message was lost (a Redis restart without persistence, a flush).
"""

from __future__ import annotations

import json
import logging

from django.conf import settings

log = logging.getLogger(__name__)


def held_message_ids() -> set[str] | None:
    """Ids of every message Redis holds for Celery; None when that cannot be known (the
    filesystem broker, or Redis not answering), and the caller falls back to a time limit."""
    if not settings.REDIS_URL:
        return None
    import redis

    ids: set[str] = set()
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=10)
        for key in client.scan_iter(match="celery*", count=100):  # the queue and its priority lists
            if client.type(key) == b"list":
                ids.update(_id(raw) for raw in client.lrange(key, 0, -1))
        ids.update(_id(raw, delivered=True) for raw in client.hvals("unacked"))
    except Exception as exc:  # noqa: BLE001 - unknown: the time limit decides
        log.warning("could not read the broker's messages: %s", exc)
        return None
    ids.discard("")
    return ids


def _id(raw: bytes, delivered: bool = False) -> str:
    try:
        message = json.loads(raw)
        if delivered:  # kombu keeps [message, exchange, routing key] for unacked ones
            message = message[0]
        return message["headers"]["id"]
    except (ValueError, KeyError, IndexError, TypeError):
        return ""
