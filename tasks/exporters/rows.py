"""The read side of exports: tasks with their completions and predictions, streamed in Label
Studio's task JSON shape (the interchange format every writer reads).

Constant memory at any project size: tasks are read with keyset pagination over ids in batches;
each batch's completions and predictions come from one query each (a task-id range), so a batch
costs three queries whatever it holds.
"""

from __future__ import annotations

import json
import operator
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import reduce

from django.db import connection
from django.db.models import Exists, F, Func, OuterRef, Q, QuerySet, TextField
from django.db.models.functions import Cast

from labelstudio.core.exceptions import ApplicationError
from projects.models import Project

from ..models import Task
from .options import ExportOptions
from .task_filter import filters_q
from .tracks import interpolate_key_frames

BATCH = 1000
TASK_FIELDS = (
    "id",
    "data",
    "meta",
    "created_at",
    "updated_at",
    "total_annotations",
    "cancelled_annotations",
    "total_predictions",
)
COMPLETION_FIELDS = (
    "id",
    "task_id",
    "completed_by_id",
    "result",
    "was_cancelled",
    "ground_truth",
    "created_at",
    "updated_at",
    "lead_time",
    "review_status",
    "parent_prediction_id",
    "parent_completion_id",
)
PREDICTION_FIELDS = ("id", "task_id", "result", "model_version", "score", "created_at", "updated_at")
USER_FIELDS = ("completed_by__email", "completed_by__first_name", "completed_by__last_name")


@dataclass
class Counts:
    tasks: int = 0
    completions: int = 0
    predictions: int = 0


def completion_q(options: ExportOptions) -> Q:
    """Which completions an export includes."""
    q = Q()
    if not options.include_cancelled:
        q &= Q(was_cancelled=False)
    if options.only_ground_truth:
        q &= Q(ground_truth=True)
    if options.completion_kinds is not None:
        kinds = {
            "usual": Q(was_cancelled=False, ground_truth=False),
            "ground_truth": Q(ground_truth=True),
            "skipped": Q(was_cancelled=True),
        }
        q &= reduce(operator.or_, (kinds[k] for k in options.completion_kinds), Q(pk__in=[]))
    if options.only_accepted:
        q &= Q(review_status="accepted")
    if options.annotator_ids:
        q &= Q(completed_by__in=options.annotator_ids)
    return q


def task_queryset(project: Project, options: ExportOptions) -> QuerySet[Task]:
    """The project's tasks that an export includes (unordered; callers page by id)."""
    # listed layering exception, lazy so tasks loads on its own: export reads completions and predictions
    from annotators.models import Completion
    from ml_backends.models import Prediction

    qs = Task.objects.filter(project=project)
    if options.task_ids is not None:
        qs = qs.filter(pk__in=options.task_ids)
    if options.filters:
        qs = _filtered(qs, options.filters)
    for option, q in (
        (options.annotated, Q(total_annotations__gt=0)),
        (options.finished, Q(is_labeled=True)),
        (options.skipped, Q(cancelled_annotations__gt=0)),
    ):
        if option:
            qs = qs.filter(q) if option == "only" else qs.exclude(q)
    since = options.since
    if since is not None:
        changed = Completion.objects.filter(project=project, updated_at__gt=since).values("task_id")
        predicted = Prediction.objects.filter(project=project, updated_at__gt=since).values("task_id")
        qs = qs.filter(Q(updated_at__gt=since) | Q(pk__in=changed) | Q(pk__in=predicted))
    if options.only_completed:
        qs = qs.filter(Exists(Completion.objects.filter(completion_q(options), task=OuterRef("pk"))))
    return qs


def _filtered(qs: QuerySet[Task], filters: dict) -> QuerySet[Task]:
    """Label Studio's filter spec (``items``) or the data manager's own parameters (tasks.filters)."""
    if "items" in filters:
        return qs.filter(filters_q(filters))
    from ..filters import TaskFilter

    unknown = sorted(set(filters) - set(TaskFilter.base_filters) - {"ordering", "after"})
    if unknown:
        raise ApplicationError(f"unknown task filter(s): {', '.join(unknown)}", field="filters")
    params = {k: ",".join(map(str, v)) if isinstance(v, list) else v for k, v in filters.items()}
    filterset = TaskFilter(params, queryset=qs)
    if not filterset.is_valid():
        raise ApplicationError(f"bad task filters: {filterset.errors.as_text()}", field="filters")
    return filterset.qs.order_by()


def iter_tasks(
    project: Project,
    options: ExportOptions,
    *,
    counts: Counts | None = None,
    on_batch: Callable[[int], None] | None = None,
    batch_size: int = BATCH,
    raw_json: bool = False,
) -> Iterator[dict]:
    """Task dicts (``id, annotations, predictions, data, meta, ...``) in id order.

    ``raw_json``: on PostgreSQL, ``data`` and ``meta`` come as the database's JSON text
    (``RawJSON``) for writers that copy them unchanged, saving a parse and a dump per task.
    """
    # listed layering exception, lazy so tasks loads on its own: export reads completions and predictions
    from annotators.models import Completion
    from ml_backends.models import Prediction

    counts = counts if counts is not None else Counts()
    raw = ("data", "meta") if raw_json and connection.vendor == "postgresql" else ()
    tasks = _select(task_queryset(project, options).order_by("pk"), TASK_FIELDS, raw)
    completions = Completion.objects.filter(completion_q(options), project=project).order_by("task_id", "id")
    completion_fields = COMPLETION_FIELDS + (USER_FIELDS if options.expand_users else ())
    predictions = Prediction.objects.filter(project=project).order_by("task_id", "id")
    last, scanned = 0, 0
    while True:
        batch = list(tasks.filter(pk__gt=last)[:batch_size])
        if not batch:
            return
        low, last = batch[0][0], batch[-1][0]
        by_task: dict[int, list] = {}
        for row in _select(completions.filter(task_id__gte=low, task_id__lte=last), completion_fields):
            by_task.setdefault(row[1], []).append(row)
        preds: dict[int, list] = {}
        if options.include_predictions:
            for row in _select(predictions.filter(task_id__gte=low, task_id__lte=last), PREDICTION_FIELDS):
                preds.setdefault(row[1], []).append(row)
        for task in batch:
            if raw:
                task = (task[0], RawJSON(task[1]), RawJSON(task[2]), *task[3:])
            rows = by_task.get(task[0], [])
            if options.one_per_task and rows:
                rows = [pick_one(rows, options.one_per_task)]
            if options.only_completed and not rows:
                continue
            task_preds = preds.get(task[0], [])
            counts.tasks += 1
            counts.completions += len(rows)
            counts.predictions += len(task_preds)
            row = _task(project.pk, task, rows, task_preds, options.expand_users)
            if options.interpolate_key_frames:  # completions only, as Label Studio does
                for completion in row["annotations"]:
                    completion["result"] = interpolate_key_frames(completion["result"])
            yield row
        scanned += len(batch)
        if on_batch:
            on_batch(scanned)


def pick_one(rows: list[tuple], strategy: str) -> tuple:
    """One completion of a task: its ground truth, else the latest, or the one most others agree
    with — among the answered ones (a skipped one only when all were skipped)."""
    rows = [r for r in rows if not r[4]] or rows
    for row in rows:
        if row[5]:
            return row
    latest = max(rows, key=lambda r: (_when(r[7]), r[0]))
    if strategy == "latest" or len(rows) < 3:
        return latest
    votes = Counter(_result_key(r[3]) for r in rows)
    top = max(votes.values())
    winners = [r for r in rows if votes[_result_key(r[3])] == top]
    return max(winners, key=lambda r: (_when(r[7]), r[0]))


def _when(value) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _result_key(result) -> str:
    """A result's content without region ids and scores, so equal answers compare equal."""
    items = [
        json.dumps({k: item.get(k) for k in ("from_name", "to_name", "type", "value")}, sort_keys=True)
        for item in (result or [])
        if isinstance(item, dict)
    ]
    return "\n".join(sorted(items))


def iso(value) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value.isoformat().replace("+00:00", "Z")


class RawJSON(str):
    """JSON text as PostgreSQL wrote it (``jsonb::text``); JSON writers splice it in unchanged."""


TIMESTAMPS = ("created_at", "updated_at")
# ISO 8601 in UTC with "Z", as Python's isoformat + DRF write it (fractions only when non-zero)
ISO_SQL = "replace(to_json(%(expressions)s) #>> '{}', '+00:00', 'Z')"


def _select(qs, fields: tuple[str, ...], raw: tuple[str, ...] = ()):
    """``values_list`` of fields; on PostgreSQL timestamps arrive as ISO text (no parsing in
    Python) and ``raw`` JSON columns as text."""
    if connection.vendor != "postgresql":
        return qs.values_list(*fields)
    exprs, names = {}, []
    for name in fields:
        if name in TIMESTAMPS or name in raw:
            alias = f"x_{name}"
            exprs[alias] = (
                Func(F(name), template=ISO_SQL, output_field=TextField())
                if name in TIMESTAMPS
                else Cast(name, TextField())
            )
            names.append(alias)
        else:
            names.append(name)
    return qs.annotate(**exprs).values_list(*names)


def _task(project_id: int, task: tuple, rows: list, preds: list, expand_users: bool) -> dict:
    tid, data, meta, created, updated, total, cancelled, total_preds = task
    return {
        "id": tid,
        "annotations": [_completion(project_id, row, expand_users) for row in rows],
        "predictions": [_prediction(project_id, row) for row in preds],
        "data": data,
        "meta": meta,
        "created_at": iso(created),
        "updated_at": iso(updated),
        "total_annotations": total,
        "cancelled_annotations": cancelled,
        "total_predictions": total_preds,
        "project": project_id,
    }


def _completion(project_id: int, row: tuple, expand_users: bool) -> dict:
    user = row[2]
    if expand_users:
        user = {"id": row[2], "email": row[12], "first_name": row[13], "last_name": row[14]}
    return {
        "id": row[0],
        "completed_by": user,
        "result": row[3],
        "was_cancelled": row[4],
        "ground_truth": row[5],
        "created_at": iso(row[6]),
        "updated_at": iso(row[7]),
        "lead_time": row[8],
        "review_status": row[9] or None,
        "task": row[1],
        "project": project_id,
        "parent_prediction": row[10],
        "parent_annotation": row[11],
    }


def _prediction(project_id: int, row: tuple) -> dict:
    return {
        "id": row[0],
        "result": row[2],
        "model_version": row[3],
        "score": row[4],
        "created_at": iso(row[5]),
        "updated_at": iso(row[6]),
        "task": row[1],
        "project": project_id,
    }


def data_keys_in(project_id: int) -> list[str]:
    """Every top-level key of the project's task data, from one query (CSV needs its columns first)."""
    table = Task._meta.db_table
    if connection.vendor == "postgresql":
        sql = f"SELECT DISTINCT jsonb_object_keys(data) FROM {table} WHERE project_id = %s"  # noqa: S608
    elif connection.vendor == "sqlite":
        sql = f"SELECT DISTINCT j.key FROM {table}, json_each({table}.data) j WHERE project_id = %s"  # noqa: S608
    else:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, [project_id])
        return sorted(row[0] for row in cursor.fetchall())
