"""A running attempt's pulse: a thread beats on the job row, and reads back cancel and supersession.

The attempt that claimed a job (``job_run``) starts a ``Heartbeat``. Every
``JOB_HEARTBEAT_SECONDS`` it stamps ``heartbeat_at`` on the row — only while the row is still
RUNNING *for this attempt* (``attempts`` is the attempt token) — and learns from the same row
whether a user asked to cancel or a newer attempt took the job over. ``Progress`` raises at its
next report when either happened, so a job stops at its next batch.

On SQLite the job's own transaction holds the database's one write lock for a whole import, so
the thread does not write there: it reads the row (WAL readers never wait) and beats in the
cache. The reaper accepts either beat.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.utils import timezone

from .models import Job

log = logging.getLogger(__name__)
HOST = socket.gethostname()


def worker_id() -> str:
    return f"{HOST}:{os.getpid()}"


def _cache_key(job_id: int) -> str:
    return f"job:{job_id}:heartbeat"


def cached_beat(job_id: int) -> tuple[int, float] | None:
    """(attempt, unix time) of the last beat kept in the cache, if any."""
    try:
        return cache.get(_cache_key(job_id))
    except Exception:  # noqa: BLE001 - the cache (Redis) may be down; the row decides then
        return None


def worker_dead(worker: str) -> bool:
    """True when ``worker`` ("host:pid") ran on this host and that process is gone."""
    host, _, pid = worker.rpartition(":")
    if host != HOST or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def is_alive(job: Job, now=None) -> bool:
    """Does a live worker hold this running job? (fresh beat on the row or in the cache)"""
    if job.worker and worker_dead(job.worker):
        return False
    now = now or timezone.now()
    stale = settings.JOB_STALE_SECONDS
    beat = job.heartbeat_at or job.started_at
    if beat is not None and (now - beat).total_seconds() < stale:
        return True
    cached = cached_beat(job.pk)
    return bool(cached and cached[0] == job.attempts and time.time() - cached[1] < stale)


class Heartbeat:
    """Started by ``job_run`` for one attempt; ``stop()`` when the attempt ends."""

    def __init__(self, job_id: int, attempt: int, interval: float | None = None):
        self.job_id = job_id
        self.attempt = attempt
        self.interval = interval if interval is not None else settings.JOB_HEARTBEAT_SECONDS
        self.cancelled = False
        self.superseded = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"job-{job_id}-heartbeat", daemon=True)

    def start(self) -> Heartbeat:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 5)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    self.beat()
                except Exception:  # noqa: BLE001 - a missed beat is retried; the reaper tolerates a few
                    log.warning("job %s: heartbeat failed", self.job_id, exc_info=True)
                    connection.close()
        finally:
            connections.close_all()  # this thread's own connection

    def beat(self) -> None:
        try:
            cache.set(_cache_key(self.job_id), (self.attempt, time.time()), int(settings.JOB_STALE_SECONDS) * 4 + 60)
        except Exception:  # noqa: BLE001 - Redis down: the row still carries the beat
            log.warning("job %s: could not beat in the cache", self.job_id)
        mine = Job.objects.filter(pk=self.job_id, attempts=self.attempt, status=Job.Status.RUNNING)
        if connection.vendor != "sqlite":
            mine.update(heartbeat_at=timezone.now())
        row = Job.objects.filter(pk=self.job_id).values("attempts", "status", "cancel_requested").first()
        if row is None:  # not visible to this connection (yet): nothing to learn
            return
        if row["status"] == Job.Status.CANCELLED or row["cancel_requested"]:
            self.cancelled = True
        elif row["attempts"] != self.attempt or row["status"] != Job.Status.RUNNING:
            self.superseded = True
