"""The tasks a data-manager request means: a saved view's or the request's filters, then the
selected items (tasks.dm_query). Used by /api/dm/actions, /api/annotations/bulk and the task list."""

from __future__ import annotations

from django.db.models import QuerySet

from labelstudio.core.exceptions import ApplicationError

from .dm_query import apply_query
from .models import DataManagerView, Task


def view_of(project, view_id) -> DataManagerView | None:
    if view_id in (None, ""):
        return None
    try:
        return DataManagerView.objects.get(pk=int(view_id), project=project)
    except (DataManagerView.DoesNotExist, ValueError, TypeError):
        raise ApplicationError(f"no view {view_id} in this project", field="view") from None


def selected_tasks(project, *, selected=None, filters=None, ordering=None, view=None) -> QuerySet[Task]:
    qs = Task.objects.filter(project=project).order_by("id")
    if view is not None:
        data = view.data or {}
        qs = apply_query(qs, filters=data.get("filters"), ordering=data.get("ordering"))
    return apply_query(qs, filters=filters, selected=selected, ordering=ordering)


def selected_task_ids(project, selected, *, user=None, filters=None, view=None) -> list[int]:
    return list(selected_tasks(project, selected=selected, filters=filters, view=view).values_list("pk", flat=True))
