"""Label Studio's bulk completion endpoints: ``POST /api/annotations/bulk/`` (one result on many
tasks, chosen by ``tasks`` or data-manager ``selected_items``) and
``POST /api/annotations/bulk-delete/`` (``{"ids": [...], "project": id}``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from labelstudio.core.exceptions import int_param
from projects.access import project_for
from tasks.models import Task
from tasks.selection import selected_task_ids

from . import services


def _project_of(request):
    if not isinstance(request.data, dict):
        raise ValidationError({"detail": "send a JSON object", "field": "body"})
    project_id = int_param(request.data.get("project"), "project")
    if project_id is None:
        tasks = request.data.get("tasks")
        first = tasks[0] if isinstance(tasks, list) and tasks else None
        task_id = int_param(request.data.get("task") or first, "task")

        project_id = Task.objects.filter(pk=task_id).values_list("project_id", flat=True).first() if task_id else None
    if project_id is None:
        raise ValidationError({"detail": "send the project (or tasks of one project)", "field": "project"})
    return project_for(request.user, project_id)


class CompletionBulkCreate(APIView):
    @extend_schema(request=dict, responses={201: dict})
    def post(self, request):
        project = _project_of(request)
        data = request.data
        if data.get("selected_items") is not None:
            task_ids = selected_task_ids(project, data["selected_items"], user=request.user)
        else:
            task_ids = list(data.get("tasks") or ([data["task"]] if data.get("task") else []))
        if not task_ids:
            raise ValidationError({"detail": "send tasks (a list of ids) or selected_items", "field": "tasks"})
        created = services.completions_bulk_create(
            project=project,
            user=request.user,
            task_ids=task_ids,
            result=data.get("result") or [],
            lead_time=data.get("lead_time"),
            ground_truth=bool(data.get("ground_truth", False)),
        )
        return Response([{"id": c.pk} for c in created], status=status.HTTP_201_CREATED)


class CompletionBulkDelete(APIView):
    @extend_schema(request=dict, responses={200: dict})
    def post(self, request):
        project = _project_of(request)
        ids = request.data.get("ids")
        if not isinstance(ids, list):
            raise ValidationError({"detail": "send ids: a list of annotation ids", "field": "ids"})
        deleted = services.completions_bulk_delete(project=project, user=request.user, completion_ids=ids)
        return Response({"deleted_count": deleted})


class LabelBulkUpdate(APIView):
    """Label Studio's ``POST /api/labels/bulk`` ``{"project"?, "old_label", "new_label"}``:
    answers ``{"annotations_updated": <result items changed>}``."""

    @extend_schema(request=dict, responses={200: dict})
    def post(self, request):
        body = request.data if isinstance(request.data, dict) else {}
        for key in ("old_label", "new_label"):
            if key not in body:
                raise ValidationError({"detail": f"{key} is required", "field": key})
        project_id = body.get("project")
        count = services.labels_bulk_update(
            user=request.user,
            old_label=body["old_label"],
            new_label=body["new_label"],
            project_id=None if project_id is None else project_id,
        )
        return Response({"annotations_updated": count})
