"""The reaper: on beat (every JOB_REAPER_SECONDS), makes sure every job ends.

- RUNNING with a stale heartbeat (its worker was killed, ran out of memory, lost its host): queued
  again as a new attempt, at most ``JOB_MAX_REQUEUES`` times, then failed with the reason; a job
  whose cancel was asked is cancelled instead.
- QUEUED without ``enqueued_at`` (the broker was down when it was created or retried): sent now.
- QUEUED, sent, and its message no longer in Redis (lost with a Redis restart or flush; broker.py)
  — or, when that cannot be known (filesystem broker), sent more than ``JOB_QUEUED_STALE_SECONDS``
  ago and never started: sent again, within the same bound.
- Outbox messages (outbox.py) are sent.

A message sent twice is harmless: ``job_run`` claims a job once (see jobs.py).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .broker import held_message_ids
from .heartbeat import is_alive
from .jobs import _notify_finished, job_enqueue
from .models import Job
from .outbox import outbox_deliver

log = logging.getLogger(__name__)
ENQUEUE_GRACE = timedelta(seconds=5)  # a creating request's on-commit send is still under way
LOST_GRACE = timedelta(seconds=10)


def reap_jobs() -> dict:
    now = timezone.now()
    out = {"requeued": [], "failed": [], "cancelled": [], "enqueued": []}
    running = Job.objects.filter(status=Job.Status.RUNNING)
    for job in running.only("id", "status", "attempts", "heartbeat_at", "started_at", "worker"):
        if not is_alive(job, now):
            _recover(job.pk, job.attempts, "its worker stopped (killed or lost)", out)
    lost = now - timedelta(seconds=settings.JOB_QUEUED_STALE_SECONDS)
    queued = Job.objects.filter(status=Job.Status.QUEUED).exclude(task_name="")
    for job in queued.filter(enqueued_at__isnull=True, created_at__lt=now - ENQUEUE_GRACE).only("id"):
        if job_enqueue(job.pk):
            out["enqueued"].append(job.pk)
    sent = list(queued.filter(enqueued_at__lt=now - LOST_GRACE).only("id", "attempts", "enqueued_at", "message_id"))
    held = held_message_ids() if sent else None  # read after the rows: a newer message is not missed
    for job in sent:
        gone = job.message_id not in held if held is not None and job.message_id else job.enqueued_at < lost
        if gone:
            _recover(job.pk, job.attempts, "no worker took its message (lost from the broker)", out)
    out["outbox"] = outbox_deliver()
    if any(out[k] for k in ("requeued", "failed", "cancelled", "enqueued")):
        log.warning("reaper: %s", out)
    return out


def _recover(job_id: int, attempts: int, reason: str, out: dict) -> None:
    with transaction.atomic():
        job = Job.objects.select_for_update(no_key=True).filter(pk=job_id, attempts=attempts).first()
        if job is None or job.is_finished:
            return
        log_entry = {"attempt": job.attempts, "outcome": "lost", "error": reason, "at": timezone.now().isoformat()}
        job.attempt_log = [*(job.attempt_log or [])[-19:], log_entry]
        if job.cancel_requested:
            job.status, job.error, job.finished_at = Job.Status.CANCELLED, "cancelled by user", timezone.now()
            bucket = "cancelled"
        elif job.requeues >= settings.JOB_MAX_REQUEUES:
            job.status, job.finished_at = Job.Status.FAILED, timezone.now()
            job.error = f"gave up after {job.requeues + 1} tries: {reason}; retry it when the workers are healthy"
            bucket = "failed"
        else:
            job.status, job.requeues, job.enqueued_at, job.worker = Job.Status.QUEUED, job.requeues + 1, None, ""
            job.message_id = ""
            bucket = "requeued"
        fields = ["status", "error", "finished_at", "requeues", "enqueued_at", "worker", "message_id", "attempt_log"]
        job.save(update_fields=fields)
        if bucket == "requeued":
            transaction.on_commit(lambda: job_enqueue(job_id))
        else:
            transaction.on_commit(lambda: _notify_finished(job_id))
    out[bucket].append(job_id)
