"""Writes for tasks: create, update, delete, and keep the per-task counters right.

Counters (completions, cancelled, predictions, the predictions' average score, is_labeled) are recomputed from the rows by one
hand-written UPDATE (``counters_sql``) that whoever changes completions or predictions runs —
the labeling loop on every submit; nothing relies on signals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction

from labelstudio.core import events, rawsql
from labelstudio.core.exceptions import ApplicationError
from projects.label_config import parse
from projects.models import Project

from .models import Task

if TYPE_CHECKING:
    pass

CHUNK = 5000


def task_data_errors(project: Project, data: object) -> list[str]:
    if not isinstance(data, dict):
        return ["task data must be a JSON object"]
    return parse(project.label_config).validate_task_data(data)


@transaction.atomic
def task_create(*, project: Project, data: dict[str, Any], meta: dict[str, Any] | None = None) -> Task:
    errors = task_data_errors(project, data)
    if errors:
        raise ApplicationError("; ".join(errors), field="data")
    task = Task.objects.create(project=project, data=data, meta=meta or {})
    events.emit(events.TASKS_CREATED, project=project, task_ids=[task.pk])
    return task


@transaction.atomic
def task_update(
    *,
    task: Task,
    data: dict[str, Any] | None = None,
    meta: dict[str, Any] | None = None,
    overlap: int | None = None,
) -> Task:
    if data is not None:
        errors = task_data_errors(task.project, data)
        if errors:
            raise ApplicationError("; ".join(errors), field="data")
        task.data = data
    if meta is not None:
        task.meta = meta
    if overlap is not None:
        task.overlap = overlap
    task.save()
    if overlap is not None:
        task_counters_refresh([task.pk])
    events.emit(events.TASKS_UPDATED, project=task.project, task_ids=[task.pk])
    return task


@transaction.atomic
def tasks_delete(*, project: Project, task_ids: Iterable[int] | None = None) -> int:
    """Delete some or all tasks of a project (their completions and predictions go with them).
    TASKS_DELETED carries the ids asked for (``None``: all of the project's tasks)."""
    qs = project.tasks.all()
    if task_ids is not None:
        task_ids = list(task_ids)
        qs = qs.filter(pk__in=task_ids)
    deleted, _ = qs.delete()
    if deleted:
        events.emit(events.TASKS_DELETED, project=project, task_ids=task_ids)
    return deleted


#: the prediction count and ``prediction_score`` (the average of the scores, NULL when none is
#: scored: Label Studio's ``predictions_score``, an AVG over all of the task's predictions) in one
#: subquery; a row-value SET, which PostgreSQL and SQLite (3.15+) both take
PREDICTIONS_SET = (
    "(total_predictions, prediction_score) = (SELECT COUNT(*), AVG(x.score) FROM {p} x WHERE x.task_id = {t}.id)"
)


def predictions_counters_sql(task_ids: Sequence[int]) -> tuple[str, list[int]]:
    """The prediction half of ``counters_sql``, for writers that touch only predictions."""
    # cross-app import (a listed exception in pyproject.toml): the counters count these rows
    from ml_backends.models import Prediction

    t, p = Task._meta.db_table, Prediction._meta.db_table
    marks = ", ".join(["%s"] * len(task_ids))
    return f"UPDATE {t} SET {PREDICTIONS_SET.format(t=t, p=p)} WHERE {t}.id IN ({marks})", list(task_ids)  # noqa: S608


def counters_sql(task_ids: Sequence[int]) -> tuple[str, list[int]]:
    """One UPDATE that recounts these tasks' completions (submitted, cancelled) and predictions
    (count and average score) from their rows and sets ``is_labeled`` (submitted >= the task's
    overlap, else the project's). Written by hand for PostgreSQL and SQLite alike: it runs on every submit
    (docs/decisions.md, "hand-written SQL"); ``rawsql.run_all`` can send it with other writes."""
    # cross-app imports (listed exceptions in pyproject.toml): the counters count these rows
    from annotators.models import Completion
    from ml_backends.models import Prediction

    t, c, p = Task._meta.db_table, Completion._meta.db_table, Prediction._meta.db_table
    done = f"(SELECT COUNT(*) FROM {c} x WHERE x.task_id = {t}.id AND NOT x.was_cancelled)"  # noqa: S608
    capacity = f"(SELECT pr.maximum_annotations FROM {Project._meta.db_table} pr WHERE pr.id = {t}.project_id)"  # noqa: S608
    # subqueries in SET, no FROM: as cheap as the old one-task form on the submit path (a self-join
    # cost ~15% more per statement in a micro-benchmark)
    sql = f"""
    UPDATE {t} SET total_annotations = {done},
      cancelled_annotations = (SELECT COUNT(*) FROM {c} x WHERE x.task_id = {t}.id AND x.was_cancelled),
      {PREDICTIONS_SET.format(t=t, p=p)},
      is_labeled = ({done} >= COALESCE({t}.overlap, {capacity}))
    WHERE {t}.id IN ({", ".join(["%s"] * len(task_ids))})
    """  # noqa: S608
    return sql, list(task_ids)


def task_counters_refresh(task_ids: Iterable[int]) -> None:
    """Recompute the counters and is_labeled of these tasks, in chunks. A completion writer
    calls it with the task row locked, so the count cannot change before it commits."""
    ids = list(task_ids)
    for start in range(0, len(ids), CHUNK):
        rawsql.run(*counters_sql(ids[start : start + CHUNK]))


def project_counters_refresh(project: Project) -> None:
    """Recompute every task's counters of a project (after an overlap change or a bulk import)."""
    last = 0
    while True:
        chunk = list(project.tasks.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:CHUNK])
        if not chunk:
            return
        rawsql.run(*counters_sql(chunk))
        last = chunk[-1]
