"""Reads for tasks: the task list a user may see, with the data manager's filters."""

from __future__ import annotations

from django.db.models import QuerySet

from labelstudio.core.rawsql import Shape, one
from projects.models import Membership, Project
from projects.permissions import remember_role
from projects.selectors import PROJECT, project_list_for

from .models import Task

TASK = Shape(Task, "t")


def task_list_for(user, project_id: int | None = None) -> QuerySet[Task]:
    """Tasks of projects the user belongs to, in a stable order (id)."""
    qs = Task.objects.all()
    if not user.is_superuser:
        qs = qs.filter(project__in=project_list_for(user).values("pk"))
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    return qs.order_by("id")


def task_with_role(user, task_id: int) -> tuple[Task | None, str | None]:
    """The task with its project loaded and the user's role in that project (None: not a member),
    in one statement; the role is remembered for ``role_of``. For the labeling loop."""
    row = one(
        f"SELECT {TASK.columns}, {PROJECT.columns}, m.role FROM {Task._meta.db_table} t"  # noqa: S608
        f" JOIN {Project._meta.db_table} p ON p.id = t.project_id"
        f" LEFT JOIN {Membership._meta.db_table} m ON m.project_id = p.id AND m.user_id = %s WHERE t.id = %s",
        [user.pk, task_id],
    )
    if row is None:
        return None, None
    task, project = TASK.build(row), PROJECT.build(row, TASK.width)
    task.project = project
    return task, remember_role(user, project.pk, row[TASK.width + PROJECT.width])
