"""Writes for tasks: create, update, delete, and keep the per-task counters right.

Counters (completions, cancelled, predictions, is_labeled) are recomputed from the rows in bulk
UPDATEs by whoever changes completions or predictions; nothing relies on signals.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from labelstudio.core import events
from labelstudio.core.exceptions import ApplicationError
from projects.label_config import parse
from projects.models import Project

from .models import Task

CHUNK = 5000


def task_data_errors(project: Project, data) -> list[str]:
    if not isinstance(data, dict):
        return ["task data must be a JSON object"]
    return parse(project.label_config).validate_task_data(data)


@transaction.atomic
def task_create(*, project: Project, data: dict, meta: dict | None = None) -> Task:
    errors = task_data_errors(project, data)
    if errors:
        raise ApplicationError("; ".join(errors), field="data")
    task = Task.objects.create(project=project, data=data, meta=meta or {})
    events.emit(events.TASKS_CREATED, project=project, task_ids=[task.pk])
    return task


@transaction.atomic
def task_update(*, task: Task, data: dict | None = None, meta: dict | None = None, overlap=None) -> Task:
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


def task_counters_refresh(task_ids: Iterable[int]) -> None:
    """Recompute completion/prediction counters and is_labeled for these tasks, in chunks."""
    ids = list(task_ids)
    for start in range(0, len(ids), CHUNK):
        _refresh(Task.objects.filter(pk__in=ids[start : start + CHUNK]))


def project_counters_refresh(project: Project) -> None:
    """Recompute every task's counters of a project (after an overlap change or a bulk import)."""
    last = 0
    while True:
        chunk = list(project.tasks.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:CHUNK])
        if not chunk:
            return
        _refresh(Task.objects.filter(pk__in=chunk))
        last = chunk[-1]


def _count(model, **filters):
    return Coalesce(
        Subquery(
            model.objects.filter(task=OuterRef("pk"), **filters)
            .order_by()
            .values("task")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _refresh(qs) -> None:
    # listed layering exception, lazy so tasks loads on its own: task counters count completions and predictions
    from annotators.models import Completion
    from ml_backends.models import Prediction

    qs.update(
        total_annotations=_count(Completion, was_cancelled=False),
        cancelled_annotations=_count(Completion, was_cancelled=True),
        total_predictions=_count(Prediction),
    )
    project_overlap = Subquery(
        Project.objects.filter(pk=OuterRef("project_id")).values("maximum_annotations")[:1],
        output_field=IntegerField(),
    )
    qs.update(
        is_labeled=Case(
            When(Q(overlap__isnull=False, total_annotations__gte=F("overlap")), then=Value(True)),
            When(Q(overlap__isnull=True, total_annotations__gte=project_overlap), then=Value(True)),
            default=Value(False),
        )
    )
