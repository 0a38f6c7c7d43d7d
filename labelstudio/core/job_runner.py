"""Running a job as an attempt: claim the row, beat, run the work, record the outcome.

``job_run`` is what every job's Celery task calls (re-exported by jobs.py). It claims the row with
a compare-and-set that bumps ``attempts`` (the attempt token: the newest attempt owns the job),
starts the heartbeat, runs ``work(job, progress)`` and records how the attempt ended, on the row if
it still owns the job, in ``attempt_log`` always. docs/reliability.md has the whole story.
Import these names from ``labelstudio.core.jobs`` (this module needs jobs.py loaded first).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone

from . import events
from .heartbeat import Heartbeat, cached_beat, is_alive, worker_id
from .jobs import JobCancelled, JobError, JobSuperseded, Progress, _cancel_key, _progress_key
from .models import Job

log = logging.getLogger(__name__)
CLAIM_POLL = 0.5  # seconds between looks at another attempt's beat


def fresh_connections() -> None:
    """Drop database connections the server closed (the first job after a database restart or
    pg_terminate_backend would fail before recording anything)."""
    for conn in connections.all(initialized_only=True):
        if conn.connection is None or conn.in_atomic_block:
            continue  # an inline job inside a caller's transaction keeps it
        conn.close_if_unusable_or_obsolete()
        if conn.connection is not None and not conn.is_usable():
            conn.close()


def _claim(job_id: int) -> tuple[Job | None, str]:
    """Make this process the job's owning attempt: (job, "") or (None, why not).

    A message for a job that another live attempt runs (a duplicate or early redelivery) waits
    until that attempt's beat either moves (it is alive: skip) or goes stale (claim it).
    """
    watched = None
    deadline = time.monotonic() + settings.JOB_STALE_SECONDS + settings.JOB_HEARTBEAT_SECONDS
    while True:
        job = Job.objects.filter(pk=job_id).first()
        if job is None:
            return None, f"job {job_id} does not exist"
        if job.is_finished:
            return None, job.status
        if job.status == Job.Status.RUNNING and is_alive(job):
            seen = (job.attempts, job.heartbeat_at, cached_beat(job.pk))  # SQLite beats in the cache only
            if watched is not None and seen != watched:
                return None, "running in another live attempt"
            watched = watched or seen
            if time.monotonic() > deadline:
                return None, "running in another live attempt"
            time.sleep(CLAIM_POLL)
            continue
        now = timezone.now()
        claimed = Job.objects.filter(pk=job_id, status=job.status, attempts=job.attempts).update(
            status=Job.Status.RUNNING,
            attempts=F("attempts") + 1,
            started_at=now,
            heartbeat_at=now,
            worker=worker_id(),
            error="",
        )
        if claimed:
            job.refresh_from_db()
            return job, ""


#: A job's work: ``work(job, progress)`` returns its JSON-able final counts (or None).
Work = Callable[[Job, Progress], dict[str, Any] | None]


def job_run(job_id: int, work: Work) -> dict[str, Any]:
    """Run ``work(job, progress)`` as a new attempt of a job and record the outcome on the row.

    ``work`` does its writes in its own transaction, so a failure leaves the database as it
    was. A job that already finished (e.g. redelivered after success) is not run again.
    """
    fresh_connections()
    job, why = _claim(job_id)
    if job is None:
        return {"status": why} if why in Job.Status.values else {"skipped": why}
    attempt = job.attempts
    heartbeat = Heartbeat(job_id, attempt).start()
    progress = Progress(job_id, attempt=attempt, heartbeat=heartbeat)
    try:
        return _run_attempt(job, work, progress)
    finally:
        heartbeat.stop()


def _run_attempt(job: Job, work: Work, progress: Progress) -> dict[str, Any]:
    job_id = job.pk
    try:
        result = work(job, progress) or {}
    except JobSuperseded:
        _superseded(job_id, progress)
        return {"status": Job.Status.SUPERSEDED}
    except JobCancelled:
        _finish(job_id, Job.Status.CANCELLED, progress, error="cancelled by user")
        return {"status": Job.Status.CANCELLED}
    except JobError as exc:
        _finish(
            job_id,
            Job.Status.FAILED,
            progress,
            error=exc.message,
            errors=exc.errors[:100],
            result={"error_count": exc.error_count},
        )
        return {"status": Job.Status.FAILED, "error": exc.message}
    except Exception as exc:  # noqa: BLE001 - any crash becomes a visible, failed job
        log.exception("job %s failed", job_id)
        _finish(job_id, Job.Status.FAILED, progress, error=f"{type(exc).__name__}: {exc}")
        return {"status": Job.Status.FAILED, "error": str(exc)}
    if not _finish(job_id, Job.Status.SUCCEEDED, progress, result=result):
        _superseded(job_id, progress, result_file=result.get("result_file"))
        return {"status": Job.Status.SUPERSEDED}
    return {"status": Job.Status.SUCCEEDED, **{k: v for k, v in result.items() if k != "errors"}}


def _log_attempt(job: Job, progress: Progress, outcome: str, error: str = "") -> None:
    entry = {"attempt": progress.attempt, "outcome": outcome, "worker": worker_id(), "at": timezone.now().isoformat()}
    if error:
        entry["error"] = error[:500]
    job.attempt_log = [*(job.attempt_log or [])[-19:], entry]


def _superseded(job_id: int, progress: Progress, result_file: str | None = None) -> None:
    """This attempt lost its job to a newer one: nothing of it was committed; note it, clean up."""
    log.info("job %s: attempt %s superseded by a newer attempt", job_id, progress.attempt)
    if result_file:
        (Path(settings.DATA_DIR) / result_file).unlink(missing_ok=True)
    with transaction.atomic():
        job = Job.objects.select_for_update(no_key=True).filter(pk=job_id).first()
        if job is not None:
            _log_attempt(job, progress, Job.Status.SUPERSEDED)
            job.save(update_fields=["attempt_log"])


def _finish(
    job_id: int,
    status: str,
    progress: Progress,
    *,
    error: str = "",
    errors: list[dict[str, Any]] | None = None,
    result: dict[str, Any] | None = None,
) -> bool:
    """Record the attempt's outcome on the row if the attempt still owns the job (or committed
    its work: then its success stands). False when a newer attempt owns it."""
    fields: dict[str, Any] = {
        "status": status,
        "finished_at": timezone.now(),
        "progress_done": progress.done,
        "progress_total": progress.total,
        "error": error,
    }
    if result is not None:
        fields["result_file"] = result.pop("result_file", "") if status == Job.Status.SUCCEEDED else ""
        if result.get("errors") is not None:
            fields["errors"] = result.pop("errors")[:100]
        fields["result"] = result
    if errors is not None:
        fields["errors"] = errors
    with transaction.atomic():
        job = Job.objects.select_for_update(no_key=True).filter(pk=job_id).first()
        if job is None:
            return False
        owner = job.attempts == progress.attempt and job.status == Job.Status.RUNNING
        if not owner and not (status == Job.Status.SUCCEEDED and progress.committed):
            if status == Job.Status.SUCCEEDED:
                if result is not None and fields.get("result_file"):
                    result["result_file"] = fields["result_file"]
                return False
            _log_attempt(job, progress, status, error)
            job.save(update_fields=["attempt_log"])
            return True
        _log_attempt(job, progress, status, error)
        for name, value in fields.items():
            setattr(job, name, value)
        job.cancel_requested = False
        job.save(update_fields=[*fields, "attempt_log", "cancel_requested"])
    cache.delete(_progress_key(job_id))
    cache.delete(_cancel_key(job_id))
    _notify_finished(job_id)
    return True


def _notify_finished(job_id: int) -> None:
    """JOB_FINISHED through the event registry (ml_backends delivers it to the project's webhooks)."""
    events.emit(events.JOB_FINISHED, job_id=job_id)
