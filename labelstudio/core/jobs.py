"""Job lifecycle: create the row, enqueue after commit, run with progress, record the outcome.

Progress and cancellation live in the cache while a job runs: an import writes inside one
database transaction (all-or-nothing), so a progress update on the job row would stay invisible
until the end, and on SQLite would wait for that transaction's write lock. The cache is Redis
when REDIS_URL is set, a file cache in the data dir otherwise, so every process sees it.
The row gets the final counts, error and timestamps.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .models import Job

log = logging.getLogger(__name__)

PROGRESS_TTL = 7 * 24 * 3600


class JobCancelled(Exception):
    """Raised inside a running job when a user cancelled it."""


class JobError(Exception):
    """A failure with a sentence for the user and, optionally, itemised errors."""

    def __init__(self, message: str, errors: list[dict] | None = None, error_count: int | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or []
        self.error_count = error_count if error_count is not None else len(self.errors)


def _progress_key(job_id: int) -> str:
    return f"job:{job_id}:progress"


def _cancel_key(job_id: int) -> str:
    return f"job:{job_id}:cancel"


def job_create(
    *,
    kind: str,
    celery_task: Any,
    project=None,
    params: dict | None = None,
    created_by=None,
    total: int = 0,
    enqueue: bool = True,
) -> Job:
    """Create the job row and enqueue ``celery_task(job_id)`` once the row is committed.

    ``enqueue=False`` is for callers that run the job inline (the start command's --input-path).
    """
    job = Job.objects.create(
        kind=kind, project=project, params=params or {}, created_by=created_by, progress_total=total
    )
    if enqueue:
        transaction.on_commit(lambda: celery_task.delay(job.pk))
    return job


def job_retry(*, job: Job, celery_task: Any) -> Job:
    """Run a failed, cancelled or stuck job again. Jobs write all-or-nothing, so a retry never
    duplicates what an interrupted attempt began."""
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, error="", errors=[], finished_at=None)
    cache.delete(_cancel_key(job.pk))
    transaction.on_commit(lambda: celery_task.delay(job.pk))
    job.refresh_from_db()
    return job


def job_cancel(*, job: Job) -> Job:
    """Ask a job to stop. A queued job stops at once; a running one at its next progress report."""
    if job.is_finished:
        return job
    cache.set(_cancel_key(job.pk), 1, PROGRESS_TTL)
    Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
        status=Job.Status.CANCELLED, finished_at=timezone.now(), error="cancelled by user"
    )
    job.refresh_from_db()
    return job


def job_progress(job: Job) -> tuple[int, int]:
    """(done, total) as the job last reported, live while it runs."""
    if job.status == Job.Status.RUNNING:
        live = cache.get(_progress_key(job.pk))
        if live:
            return live
    return job.progress_done, job.progress_total


class Progress:
    """Handed to a job's service: report(done, total) throttles writes and raises on cancel."""

    def __init__(self, job_id: int, interval: float = 0.5):
        self.job_id = job_id
        self.interval = interval
        self.done = 0
        self.total = 0
        self._last = 0.0

    def report(self, done: int, total: int | None = None, *, force: bool = False) -> None:
        self.done = done
        if total is not None:
            self.total = total
        now = time.monotonic()
        if force or now - self._last >= self.interval:
            self._last = now
            cache.set(_progress_key(self.job_id), (self.done, self.total), PROGRESS_TTL)
            if cache.get(_cancel_key(self.job_id)):
                raise JobCancelled()

    def check_cancelled(self) -> None:
        if cache.get(_cancel_key(self.job_id)):
            raise JobCancelled()


def job_run(job_id: int, work: Callable[[Job, Progress], dict | None]) -> dict:
    """Run ``work(job, progress)`` for a job row and record the outcome on the row.

    ``work`` does its writes in its own transaction, so a failure leaves the database as it
    was. A job that already finished (e.g. redelivered after success) is not run again.
    """
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        return {"error": f"job {job_id} does not exist"}
    if job.is_finished:
        return {"status": job.status}
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), attempts=job.attempts + 1, error=""
    )
    job.refresh_from_db()
    progress = Progress(job_id)
    try:
        result = work(job, progress) or {}
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
    _finish(job_id, Job.Status.SUCCEEDED, progress, result=result)
    return {"status": Job.Status.SUCCEEDED, **{k: v for k, v in result.items() if k != "errors"}}


def _finish(job_id: int, status: str, progress: Progress, *, error: str = "", errors=None, result=None) -> None:
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
    Job.objects.filter(pk=job_id).update(**fields)
    cache.delete(_progress_key(job_id))
    cache.delete(_cancel_key(job_id))
    _notify_finished(job_id)


def _notify_finished(job_id: int) -> None:
    """JOB_FINISHED goes to the project's outgoing webhooks (delivered by the worker)."""
    from ml_backends.services import job_finished_notify

    try:
        job_finished_notify(job_id=job_id)
    except Exception:  # noqa: BLE001 - a webhook problem must never change a job's outcome
        log.exception("could not notify JOB_FINISHED for job %s", job_id)
