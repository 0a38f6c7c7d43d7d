"""Live import progress beside the job's generic (done, total): the phase, rows read, tasks
written. Kept in the cache while the job runs (the import's rows are not committed yet)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.cache import cache

from labelstudio.core.jobs import PROGRESS_TTL, Progress, job_progress
from labelstudio.core.models import Job

INTERVAL = 0.5
#: phase (str) and counts (int) of a running import
Stats = dict[str, str | int]
Listener = Callable[[Stats, int, int], None]
_listeners: dict[int, Listener] = {}


def _key(job_id: int) -> str:
    return f"import:{job_id}:stats"


class ImportProgress:
    def __init__(self, progress: Progress, job_id: int):
        self.progress = progress
        self.job_id = job_id
        self.last = 0.0
        self.stats: Stats = {"phase": "reading", "rows_read": 0, "tasks_created": 0, "error_count": 0}

    def update(self, *, done: int, total: int, force: bool = False, **stats: str | int) -> None:
        """Throttled; raises JobCancelled (through Progress) when the user cancelled."""
        self.stats.update(stats)
        now = time.monotonic()
        if force or now - self.last >= INTERVAL:
            self.last = now
            cache.set(_key(self.job_id), dict(self.stats), PROGRESS_TTL)
            listener = _listeners.get(self.job_id)
            if listener is not None:
                listener(dict(self.stats), done, max(total, done))
            self.progress.report(done, max(total, done), force=True)

    def finish(self, **stats: str | int) -> None:
        """Last stats, without the cancel check (the import is committed)."""
        self.stats.update(stats)
        cache.set(_key(self.job_id), dict(self.stats), PROGRESS_TTL)


@contextmanager
def listen(job_id: int, callback: Listener) -> Iterator[None]:
    """Call ``callback(stats, done, total)`` on each progress update of a job run in this process
    (the command line's progress bar)."""
    _listeners[job_id] = callback
    try:
        yield
    finally:
        _listeners.pop(job_id, None)


def live_stats(job_id: int) -> Stats | None:
    stats: Stats | None = cache.get(_key(job_id))
    return stats


# Label Studio's import statuses (its legacy client polls until "completed" or "failed")
LS_STATUS = {"queued": "created", "running": "in_progress", "succeeded": "completed"}


def import_status(job: Job, *, with_task_ids: bool = False) -> dict[str, Any]:
    """What the API and the UI show for an import job: status (Label Studio's words: created,
    in_progress, completed, failed; ``job_status`` is the job's own), progress, counts, errors;
    ``task_ids`` of a completed import when asked (Label Studio's import detail has them)."""

    done, total = job_progress(job)
    live = live_stats(job.pk) or {}
    result = job.result or {}
    finished = job.is_finished
    phase = live.get("phase", "queued") if not finished else ("done" if job.status == "succeeded" else job.status)
    out = {
        "id": job.pk,
        "project": job.project_id,
        "status": LS_STATUS.get(job.status, "failed"),
        "job_status": job.status,
        "phase": phase,
        "progress": {"done": done, "total": total},
        "rows_read": result.get("rows_read", live.get("rows_read", 0)),
        "tasks_created": result.get("task_count", live.get("tasks_created", 0)),
        "task_count": result.get("task_count", 0),
        "annotation_count": result.get("annotation_count", 0),
        "prediction_count": result.get("prediction_count", 0),
        "error_count": result.get("error_count", live.get("error_count", 0)),
        "errors": job.errors,
        "error": job.error,
        "commit_mode": (job.params.get("options") or {}).get("commit_mode"),
        "source": (job.params.get("source") or {}).get("kind"),
        "duration": result.get("duration"),
        "attempts": job.attempts,
        "created_by": job.created_by_id,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }
    if with_task_ids:
        from tasks.models import Task

        done_ok = job.status == "succeeded"
        out["task_ids"] = (
            list(Task.objects.filter(import_job=job).order_by("id").values_list("pk", flat=True)) if done_ok else []
        )
    return out
