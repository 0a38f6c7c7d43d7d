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
from typing import Any

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .heartbeat import Heartbeat, is_alive
from .models import Job

log = logging.getLogger(__name__)

PROGRESS_TTL = 7 * 24 * 3600
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

    def __init__(self, message: str, errors: list[dict[str, Any]] | None = None, error_count: int | None = None):
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
    project: Any = None,  # a projects.Project: the core may not import the apps above it
    params: dict[str, Any] | None = None,
    created_by: User | None = None,
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
        # the project's Celery app sits above core (labelstudio/__init__ imports it): imported when sending
        from labelstudio.celery import app

        row = Job.objects.filter(pk=job_id).values("task_name", "kind").first()
        name = (row["task_name"] or KIND_TASKS.get(row["kind"], "")) if row else ""
        celery_task = app.tasks.get(name)
        if celery_task is None:
            log.error("job %s: no Celery task %r to run it", job_id, name)
            return False
    try:
        sent = celery_task.apply_async((job_id,))
    except Exception as exc:  # noqa: BLE001 - broker down: the reaper enqueues it later
        log.warning("job %s: could not enqueue (%s); the reaper will", job_id, exc)
        return False
    Job.objects.filter(pk=job_id, enqueued_at__isnull=True).update(
        enqueued_at=timezone.now(), message_id=getattr(sent, "id", "") or ""
    )
    return True


def job_retry(*, job: Job, celery_task: Any = None) -> Job:
    """Run a failed, cancelled or stuck job again, as a new attempt. An attempt still running
    loses the job to it (it ends "superseded" at its next batch or commit, writing nothing)."""
    fields: dict[str, Any] = dict(
        status=Job.Status.QUEUED,
        error="",
        errors=[],
        finished_at=None,
        enqueued_at=None,
        message_id="",
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
        now: tuple[int, int] | None = cache.get(_progress_key(job.pk))
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


# the running side (claim, attempt, outcome) lives in job_runner.py; imported last: it uses the above.
# ``job_run as job_run``: an explicit re-export (services import it from here; mypy --strict).
from .job_runner import _notify_finished, fresh_connections  # noqa: E402, F401
from .job_runner import job_run as job_run  # noqa: E402
