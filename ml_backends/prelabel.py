"""The pre-labeling job: send tasks to a backend in batches, keep what fits the config.

Runs in the worker (``celery_tasks.run_prelabel``). The main thread owns the database: it pages
task ids (keyset, constant memory), loads a batch's task data, and writes each answered batch in
its own short transaction (bulk insert + bulk counter refresh). Up to ``concurrency`` batches are
in flight at once on a thread pool that does HTTP only. A failed batch (connection error, timeout,
5xx, count mismatch) goes back on a retry queue with backoff, up to ``max_attempts``.

Writes are bulk: one COPY (PostgreSQL) or bulk INSERT per batch and one UPDATE that recounts the
batch's tasks' predictions (count, average score). Unlike imports, a pre-labeling job commits per batch: tasks that already have a prediction from
the model version being used are skipped, both when paging and again right before each insert,
so re-running, retrying or a redelivered job never duplicates, and progress is real. Each batch's
transaction first locks the job row (``Progress.commit_point``): of two attempts running at once,
only the one that owns the job writes; the other ends "superseded" at its next batch.
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from labelstudio.core import rawsql
from labelstudio.core.jobs import JobCancelled, JobError, JobSuperseded, Progress
from projects.label_config import parse
from tasks.models import Task
from tasks.services import predictions_counters_sql

from .backends import backend_set_state, backend_setup, client_for, project_ref
from .models import MLBackend, MLSettings, Prediction
from .validation import normalize_response

ID_PAGE = 5000
MAX_ERRORS = 100


def tasks_to_prelabel(project, model_version: str, *, task_ids=None, import_job_id=None):
    """The project's tasks in the selection that have no prediction from ``model_version``."""
    qs = Task.objects.filter(project=project)
    if task_ids is not None:
        qs = qs.filter(pk__in=list(task_ids))
    if import_job_id is not None:
        qs = qs.filter(import_job_id=import_job_id)
    has_current = Prediction.objects.filter(task=OuterRef("pk"), model_version=model_version)
    return qs.filter(~Exists(has_current))


def _batches(qs, size: int) -> Iterator[list[int]]:
    last = 0
    while True:
        ids = list(qs.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:ID_PAGE])
        if not ids:
            return
        for start in range(0, len(ids), size):
            yield ids[start : start + size]
        last = ids[-1]


class _Batch:
    __slots__ = ("ids", "tasks", "attempt", "ready_at", "errors")

    def __init__(self, ids: list[int], tasks: list[dict]):
        self.ids, self.tasks, self.attempt, self.ready_at, self.errors = ids, tasks, 0, 0.0, []


def prelabel_run(job, progress: Progress) -> dict:
    params = job.params
    backend = MLBackend.objects.select_related("project").get(pk=params["ml_backend"])
    project = backend.project
    config = parse(project.label_config)
    ml_settings = MLSettings.objects.filter(project=project).first() or MLSettings(project=project)
    size = max(1, int(params.get("batch_size") or ml_settings.prelabel_batch_size))
    concurrency = max(1, int(params.get("concurrency") or ml_settings.prelabel_concurrency))
    max_attempts = max(1, int(params.get("max_attempts", 3)))
    backoff = float(params.get("retry_backoff", 1.0))

    client = client_for(backend, pool_size=concurrency, retries=0)
    setup = backend_setup(backend, client)
    if not setup.ok:
        client.close()
        raise JobError(f"the ML backend is not available: {setup.error}")
    version = backend.model_version
    selection = tasks_to_prelabel(
        project, version, task_ids=params.get("task_ids"), import_job_id=params.get("import_job")
    )
    total = selection.count()
    progress.report(0, total, force=True)
    backend_set_state(backend, MLBackend.State.PREDICTING)

    stats = {
        "tasks": total,
        "predicted_tasks": 0,
        "predictions": 0,
        "rejected": 0,
        "failed_tasks": 0,
        "retried_batches": 0,
        "skipped_tasks": 0,
        "model_version": version,
    }
    errors: list[dict] = []
    ref = project_ref(project)
    fresh = _batches(selection, size)
    retry: deque[_Batch] = deque()
    inflight: dict[Future, _Batch] = {}
    done = 0

    def submit(batch: _Batch) -> None:
        batch.attempt += 1
        future = pool.submit(
            client.predict,
            tasks=batch.tasks,
            project=ref,
            label_config=project.label_config,
            params={"context": None},
            model_version=version,
        )
        inflight[future] = batch

    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix=f"prelabel-{job.pk}")
    stopped = False
    try:
        exhausted = False
        while True:
            now = time.monotonic()
            while len(inflight) < concurrency:
                if retry and retry[0].ready_at <= now:
                    submit(retry.popleft())
                elif not exhausted:
                    ids = next(fresh, None)
                    if ids is None:
                        exhausted = True
                        continue
                    submit(_Batch(ids, _load(ids)))
                else:
                    break
            if not inflight:
                if not retry:
                    break
                time.sleep(min(0.2, max(0.0, retry[0].ready_at - time.monotonic())))
                progress.check_cancelled()
                continue
            finished, _ = wait(list(inflight), timeout=0.5, return_when=FIRST_COMPLETED)
            for future in finished:
                batch = inflight.pop(future)
                error = _handle(batch, future.result(), config, backend, version, stats, errors, progress)
                if error is None:
                    done += len(batch.ids)
                elif batch.attempt < max_attempts:
                    stats["retried_batches"] += 1
                    batch.ready_at = time.monotonic() + backoff * 2 ** (batch.attempt - 1)
                    retry.append(batch)
                else:
                    done += len(batch.ids)
                    stats["failed_tasks"] += len(batch.ids)
                    _add(
                        errors,
                        {
                            "tasks": [batch.ids[0], batch.ids[-1]],
                            "attempts": batch.attempt,
                            "message": f"batch of {len(batch.ids)} tasks failed: {'; '.join(batch.errors)}",
                        },
                    )
            progress.report(done, total)
    except (JobCancelled, JobSuperseded):
        backend_set_state(backend, MLBackend.State.CONNECTED)
        stopped = True
        raise
    except Exception as exc:
        backend_set_state(backend, MLBackend.State.ERROR, f"pre-labeling crashed: {exc}")
        raise
    finally:
        # cancelled: do not wait for requests still hanging on the backend (their answers are
        # dropped; the threads end at their timeout), so a cancel is felt within a second
        pool.shutdown(wait=not stopped, cancel_futures=True)
        if not stopped:
            client.close()

    progress.report(done, total, force=True)
    if stats["failed_tasks"]:
        backend_set_state(backend, MLBackend.State.ERROR, errors[-1]["message"] if errors else "")
        raise JobError(
            f"{stats['failed_tasks']} of {total} tasks could not be pre-labeled after {max_attempts} attempts; "
            f"{stats['predicted_tasks']} were. Run the job again to retry the rest.",
            errors=errors,
            error_count=len(errors),
        )
    backend_set_state(backend, MLBackend.State.CONNECTED)
    return {**stats, "errors": errors}


def _load(ids: list[int]) -> list[dict]:
    rows = Task.objects.filter(pk__in=ids).order_by("pk").values("id", "data", "meta", "project_id")
    return [{"id": r["id"], "data": r["data"], "meta": r["meta"], "project": r["project_id"]} for r in rows]


def _add(errors: list[dict], error: dict) -> None:
    if len(errors) < MAX_ERRORS:
        errors.append(error)


def _handle(batch: _Batch, result, config, backend, version, stats, errors, progress=None) -> str | None:
    """Store a batch's answer; return an error string when the whole batch must be retried."""
    if not result.ok:
        batch.errors.append(result.error)
        return result.error
    outcome = normalize_response(result.data, batch.tasks, config, default_version=version)
    if outcome.error:
        batch.errors.append(outcome.error)
        return outcome.error
    for rejected in outcome.rejected:
        stats["rejected"] += 1
        _add(
            errors,
            {
                "task": rejected["task"],
                "prediction": rejected["prediction"],
                "message": "; ".join(e["detail"] for e in rejected["errors"][:3]),
                "errors": rejected["errors"],
            },
        )
    guard = progress.commit_point if progress is not None else None
    written, skipped = predictions_save(backend, outcome.predictions, version, guard=guard)
    stats["predictions"] += written
    stats["predicted_tasks"] += len({p["task"] for p in outcome.predictions}) - skipped
    stats["skipped_tasks"] += skipped
    return None


def predictions_save(backend: MLBackend, predictions: list[dict], version: str, guard=None) -> tuple[int, int]:
    """Write a batch's predictions and bump its tasks' ``total_predictions`` in one transaction.

    Tasks that got a ``version`` prediction meanwhile (a concurrent or redelivered job) are
    skipped. ``guard`` (a job's ``Progress.commit_point``) runs first in the transaction: it locks
    the job row, so a superseded attempt of the job writes nothing. PostgreSQL gets one COPY per batch, other databases a bulk INSERT; the
    tasks' ``total_predictions`` and ``prediction_score`` are then recomputed from their predictions in one
    UPDATE (tasks.services.predictions_counters_sql, an index probe per task). Returns (predictions
    written, tasks skipped).
    """
    task_ids = {p["task"] for p in predictions}
    if not task_ids:
        return 0, 0
    with transaction.atomic():
        if guard is not None:
            guard()
        taken = set(
            Prediction.objects.filter(task_id__in=task_ids, model_version=version).values_list("task_id", flat=True)
        )
        rows = [p for p in predictions if p["task"] not in taken]
        _insert(backend, rows)
        touched = sorted({p["task"] for p in rows})
        if touched:  # count and average score from the rows: an average can't be incremented
            rawsql.run(*predictions_counters_sql(touched))
    return len(rows), len(taken)


def _insert(backend: MLBackend, rows: list[dict]) -> None:
    now = timezone.now()
    if connection.vendor != "postgresql":
        Prediction.objects.bulk_create(
            [
                Prediction(
                    task_id=p["task"],
                    project_id=backend.project_id,
                    ml_backend=backend,
                    model_version=p["model_version"],
                    score=p["score"],
                    result=p["result"],
                )
                for p in rows
            ],
            batch_size=500,
        )
        return
    table = connection.ops.quote_name(Prediction._meta.db_table)
    sql = (
        f"COPY {table} (created_at, updated_at, task_id, project_id, ml_backend_id, model_version, score, result)"
        " FROM STDIN"
    )
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for p in rows:
            copy.write_row(
                (
                    now,
                    now,
                    p["task"],
                    backend.project_id,
                    backend.pk,
                    p["model_version"],
                    p["score"],
                    json.dumps(p["result"]),
                )
            )
