"""Bulk completion writes on Label Studio's paths: the same result on many tasks
(``POST /api/annotations/bulk/``), many completions deleted (``/api/annotations/bulk-delete/``,
the data manager's "delete annotations" action). All or nothing; each completion goes through
the single-completion rules (one per annotator and task, config check, counters)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from labelstudio.core.exceptions import ApplicationError, Forbidden
from projects.access import MANAGER, role_check
from projects.models import Project
from tasks.models import Task
from tasks.services import task_counters_refresh

from ..models import Completion
from .completions import completion_create


@transaction.atomic
def completions_bulk_create(
    *,
    project: Project,
    user: User,
    task_ids: list[int],
    result: list[Any],
    lead_time: float | None = None,
    ground_truth: bool = False,
) -> list[Completion]:
    tasks = list(Task.objects.filter(project=project, pk__in=task_ids).order_by("id"))
    missing = set(task_ids) - {t.pk for t in tasks}
    if missing:
        raise ApplicationError(f"no such tasks in this project: {sorted(missing)[:20]}", field="tasks")
    created: list[Completion] = []
    for task in tasks:
        task.project = project
        created.append(
            completion_create(task=task, user=user, result=result, lead_time=lead_time, ground_truth=ground_truth)
        )
    return created


@transaction.atomic
def completions_bulk_delete(
    *, project: Project, user: User, completion_ids: list[int] | None = None, task_ids: list[int] | None = None
) -> int:
    """Managers delete any of the project's completions; others only their own."""
    role = role_check(user, project)
    qs = Completion.objects.filter(project=project)
    if completion_ids is not None:
        qs = qs.filter(pk__in=completion_ids)
    if task_ids is not None:
        qs = qs.filter(task_id__in=task_ids)
    if role != MANAGER:
        if qs.exclude(completed_by=user).exists():
            raise Forbidden("only the author or a manager may delete a completion")
    touched = sorted(set(qs.values_list("task_id", flat=True)))
    deleted = qs.delete()[1].get(Completion._meta.label, 0)
    task_counters_refresh(touched)
    return deleted
