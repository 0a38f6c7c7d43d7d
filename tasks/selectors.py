"""Reads for tasks: the task list a user may see, with the data manager's filters."""

from __future__ import annotations

from django.db.models import QuerySet

from projects.selectors import project_list_for

from .models import Task


def task_list_for(user, project_id: int | None = None) -> QuerySet[Task]:
    """Tasks of projects the user belongs to, in a stable order (id)."""
    qs = Task.objects.all()
    if not user.is_superuser:
        qs = qs.filter(project__in=project_list_for(user).values("pk"))
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    return qs.order_by("id")
