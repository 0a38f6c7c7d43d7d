"""Job lifecycle: create the row, enqueue after commit, run with progress, record the outcome.

Progress and cancellation live in the cache while a job runs: an import writes inside one
database transaction (all-or-nothing), so a progress update on the job row would stay invisible
until the end, and on SQLite would wait for that transaction's write lock. The cache is Redis
when REDIS_URL is set, a file cache in the data dir otherwise, so every process sees it.
The row gets the final counts, error and timestamps.

Reliability (docs/reliability.md): every run of a job is an *attempt*. ``job_run`` claims the
row with a compare-and-set that bumps ``attempts`` (the attempt token) and starts a heartbeat;
the newest claimed attempt owns the job. A job's writes pass ``Progress.commit_point()`` inside
their transaction: it locks the job row (SELECT ... FOR UPDATE) and lets only the owning
attempt commit; an older attempt ends "superseded" (its outcome goes to ``attempt_log``; the row
shows the owner's). The reaper (reaper.py) requeues or fails jobs whose worker is gone.
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

from .heartbeat import Heartbeat, is_alive, worker_id
from .models import Job

log = logging.getLogger(__name__)

PROGRESS_TTL = 7 * 24 * 3600
CLAIM_POLL = 0.5
KIND_TASKS = {  # rows created before Job.task_name existed
    "import": "tasks.run_import",
    "export": "tasks.run_export",
    "prelabel": "ml_backends.run_prelabel",
    "train": "ml_backends.run_train",
}


class JobCancelled(Exception):
    """Raised inside a running job when a user cancelled it."""


class JobSuperseded(Exception):
    """Raised inside an attempt that no longer owns its job (a retry or the reaper started a newer one)."""


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

    When the broker is down the row stays "queued" without ``enqueued_at`` and the reaper sends
    it once the broker is back (the request still answers with the job). ``enqueue=False`` is for
    callers that run the job inline (the start command's --input-path, small imports).
    """
    job = Job.objects.create(
        kind=kind,
        project=project,
        params=params or {},
        created_by=created_by,
        progress_total=total,
        task_name=getattr(celery_task, "name", "") or "",
    )
    if enqueue:
        transaction.on_commit(lambda: job_enqueue(job.pk, celery_task))
    return job


def job_enqueue(job_id: int, celery_task: Any = None) -> bool:
    """Send the job's message now; False (logged, row left for the reaper) when the broker is down."""
    if celery_task is None:
        from labelstudio.celery import app

        row = Job.objects.filter(pk=job_id).values("task_name", "kind").first() or {}
        name = row.get("task_name") or KIND_TASKS.get(row.get("kind"), "")
        celery_task = app.tasks.get(name)
        if celery_task is None:
            log.error("job %s: no Celery task %r to run it", job_id, name)
            return False
    try:
        celery_task.apply_async((job_id,))
    except Exception as exc:  # noqa: BLE001 - broker down: the reaper enqueues it later
        log.warning("job %s: could not enqueue (%s); the reaper will", job_id, exc)
        return False
    Job.objects.filter(pk=job_id, enqueued_at__isnull=True).update(enqueued_at=timezone.now())
    return True


def job_retry(*, job: Job, celery_task: Any = None) -> Job:
    """Run a failed, cancelled or stuck job again, as a new attempt. An attempt still running
    loses the job to it (it ends "superseded" at its next batch or commit, writing nothing)."""
    fields = dict(
        status=Job.Status.QUEUED,
        error="",
        errors=[],
        finished_at=None,
        enqueued_at=None,
        cancel_requested=False,
        requeues=0,
    )
    if celery_task is not None:
        fields["task_name"] = celery_task.name
    Job.objects.filter(pk=job.pk).update(**fields)
    cache.delete(_cancel_key(job.pk))
    transaction.on_commit(lambda: job_enqueue(job.pk, celery_task))
    job.refresh_from_db()
    return job


def job_cancel(*, job: Job) -> Job:
    """Ask a job to stop. A queued job stops at once, a running one at its next batch (its
    heartbeat reads the flag), one whose worker is gone at once."""
    if job.is_finished:
        return job
    cache.set(_cancel_key(job.pk), 1, PROGRESS_TTL)
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)
    done = dict(status=Job.Status.CANCELLED, finished_at=timezone.now(), error="cancelled by user")
    Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(**done)
    job.refresh_from_db()
    if job.status == Job.Status.RUNNING and not is_alive(job):
        Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempts=job.attempts).update(**done)
        job.refresh_from_db()
    return job


def job_progress(job: Job) -> tuple[int, int]:
    """(done, total) as the job last reported, live while it runs."""
    if job.status == Job.Status.RUNNING:
        now = cache.get(_progress_key(job.pk))
        if now:
            return now
    return job.progress_done, job.progress_total


class Progress:
    """Handed to a job's service: report(done, total) throttles writes and raises on cancel or
    when a newer attempt took the job; ``commit_point()`` guards the job's writes."""

    def __init__(self, job_id: int, interval: float = 0.5, *, attempt: int = 0, heartbeat: Heartbeat | None = None):
        self.job_id = job_id
        self.interval = interval
        self.attempt = attempt
        self.heartbeat = heartbeat
        self.committed = False
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
            self.check_cancelled()

    def check_cancelled(self) -> None:
        beat = self.heartbeat
        if beat is not None and beat.superseded:
            raise JobSuperseded()
        if (beat is not None and beat.cancelled) or cache.get(_cancel_key(self.job_id)):
            raise JobCancelled()

    def commit_point(self, *, final: bool = False) -> None:
        """Call inside the transaction that makes the job's work visible: locks the job row until
        that transaction ends, so of two attempts only the owner commits; the other raises.
        ``final``: this commit is the job's whole outcome (an import), so it stands even if a newer
        attempt claims the job before this one records it."""
        row = (
            Job.objects.select_for_update(no_key=True)
            .filter(pk=self.job_id)
            .values("attempts", "status", "cancel_requested")
            .first()
        )
        if row is None or row["status"] == Job.Status.CANCELLED or row["cancel_requested"]:
            raise JobCancelled()
        if self.attempt and (row["attempts"] != self.attempt or row["status"] != Job.Status.RUNNING):
            raise JobSuperseded()
        self.committed = self.committed or final


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
            seen = (job.attempts, job.heartbeat_at)
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


def job_run(job_id: int, work: Callable[[Job, Progress], dict | None]) -> dict:
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


def _run_attempt(job: Job, work, progress: Progress) -> dict:
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


def _finish(job_id: int, status: str, progress: Progress, *, error: str = "", errors=None, result=None) -> bool:
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
    """JOB_FINISHED goes to the project's outgoing webhooks (delivered by the worker)."""
    from ml_backends.services import job_finished_notify

    try:
        job_finished_notify(job_id=job_id)
    except Exception:  # noqa: BLE001 - a webhook problem must never change a job's outcome
        log.exception("could not notify JOB_FINISHED for job %s", job_id)
