"""Manual assignment of task sets to annotators. A task with assignments is served only to its
assigned annotators (services/distribution.py); overlap still caps how many of them label it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet

from labelstudio.core.exceptions import ApplicationError
from projects.access import MANAGERS, role_check
from projects.models import Membership, Project

from ..models import TaskAssignment

MAX_TASKS_PER_CALL = 100_000


def _check(project: Project, users: Sequence[User] | QuerySet[User], task_ids: Iterable[int | str]) -> list[int]:
    ids = sorted({int(t) for t in task_ids})
    if len(ids) > MAX_TASKS_PER_CALL:
        raise ApplicationError(f"assign at most {MAX_TASKS_PER_CALL} tasks per call", field="tasks")
    found = set(project.tasks.filter(pk__in=ids).values_list("pk", flat=True))
    missing = [t for t in ids if t not in found]
    if missing:
        raise ApplicationError(f"tasks not in this project: {missing[:20]}", field="tasks")
    members = set(Membership.objects.filter(project=project, user__in=users).values_list("user_id", flat=True))
    outsiders = [u.pk for u in users if u.pk not in members]
    if outsiders:
        raise ApplicationError(f"users {outsiders} are not members of this project", field="users")
    return ids


@transaction.atomic
def assignments_add(
    *,
    project: Project,
    users: Sequence[User] | QuerySet[User],
    task_ids: Iterable[int | str],
    assigned_by: User,
) -> int:
    """Assign every task to every user (already existing pairs are kept). Returns pairs added."""
    role_check(assigned_by, project, MANAGERS, denied="only managers assign tasks")
    ids = _check(project, users, task_ids)
    rows = [TaskAssignment(project=project, task_id=t, user=u, assigned_by=assigned_by) for u in users for t in ids]
    before = TaskAssignment.objects.filter(project=project).count()
    TaskAssignment.objects.bulk_create(rows, ignore_conflicts=True, batch_size=5000)
    return TaskAssignment.objects.filter(project=project).count() - before


@transaction.atomic
def assignments_remove(
    *,
    project: Project,
    removed_by: User,
    users: Sequence[User] | QuerySet[User] | None = None,
    task_ids: Iterable[int | str] | None = None,
) -> int:
    """Remove assignments of these users and/or tasks (all of the project's when neither is given)."""
    role_check(removed_by, project, MANAGERS, denied="only managers assign tasks")
    qs = TaskAssignment.objects.filter(project=project)
    if users is not None:
        qs = qs.filter(user__in=users)
    if task_ids is not None:
        qs = qs.filter(task_id__in=list(task_ids))
    return qs.delete()[0]
