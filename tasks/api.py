"""Task endpoints on Label Studio's paths: /api/tasks/ and /api/projects/{id}/tasks/."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from projects.access import MANAGERS, project_for
from projects.permissions import ProjectMember, ProjectRole

from . import selectors, services
from .dm_query import apply_query, parse_query
from .filters import TaskFilter
from .models import Task
from .pagination import TaskPagination
from .related import related_for, wants_related
from .remote_text import task_remote_text
from .selection import view_of
from .serializers import TaskSerializer


class TaskViewSet(viewsets.ModelViewSet):
    """Tasks. Members read; managers create, change and delete."""

    queryset = Task.objects.none()  # for the schema (typed ids); get_queryset() decides
    serializer_class = TaskSerializer
    permission_classes = [IsAuthenticated, ProjectRole]
    filterset_class = TaskFilter
    pagination_class = TaskPagination

    def get_queryset(self):
        return selectors.task_list_for(self.request.user)

    def filter_queryset(self, queryset):
        """Our filters (tasks.filters), then Label Studio's data-manager ``view`` and ``query``
        ({"filters", "selectedItems", "ordering"}) when the list names a project."""
        queryset = super().filter_queryset(queryset)
        params = self.request.query_params
        if self.action != "list" or not (params.get("query") or params.get("view")):
            return queryset
        # listed layering exception, lazy so tasks loads on its own: task JSON embeds readable completions
        from annotators.selectors import completions_visible_to

        project = project_for(self.request.user, params.get("project"))
        query = parse_query(params.get("query"))
        view = view_of(project, params.get("view"))
        readable = completions_visible_to(self.request.user, project)
        if view is not None:
            data = view.data or {}
            queryset = apply_query(
                queryset, filters=data.get("filters"), ordering=data.get("ordering"), completions=readable
            )
        return apply_query(
            queryset,
            filters=query.get("filters"),
            selected=query.get("selectedItems"),
            ordering=query.get("ordering"),
            completions=readable,
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = self.get_serializer_context()
        if wants_related(request, detail=False):
            context["related"] = related_for(page, request.user)
        return self.get_paginated_response(TaskSerializer(page, many=True, context=context).data)

    def retrieve(self, request, *args, **kwargs):
        task = self.get_object()
        context = {**self.get_serializer_context(), "related": related_for([task], request.user)}
        return Response(TaskSerializer(task, context=context).data)

    @extend_schema(
        parameters=[OpenApiParameter("key", str, required=True, description="the data key a Text/HyperText reads")],
        responses={(200, "text/plain"): str},
    )
    @action(detail=True, methods=["get"], url_path="data-text")
    def data_text(self, request, *args, **kwargs):
        """The text behind the task's URL for a ``<Text valueType="url">`` (fetched by the server)."""
        text = task_remote_text(self.get_object(), request.query_params.get("key", ""))
        return HttpResponse(text, content_type="text/plain; charset=utf-8")

    def perform_create(self, serializer):
        denied = "only managers add tasks"
        project = project_for(self.request.user, self.request.data.get("project"), roles=MANAGERS, denied=denied)
        data = serializer.validated_data
        serializer.instance = services.task_create(project=project, data=data["data"], meta=data.get("meta"))

    def perform_update(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.task_update(
            task=serializer.instance, data=data.get("data"), meta=data.get("meta"), overlap=data.get("overlap")
        )

    def perform_destroy(self, instance):
        services.tasks_delete(project=instance.project, task_ids=[instance.pk])


class ProjectTaskList(generics.ListAPIView):
    """GET /api/projects/{id}/tasks/ (paginated); DELETE removes all of the project's tasks."""

    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    permission_classes = [IsAuthenticated, ProjectMember]
    write_roles = MANAGERS
    write_denied = "only managers delete tasks"

    def get_queryset(self):
        return selectors.task_list_for(self.request.user, self.project.pk)

    def delete(self, request, pk):
        services.tasks_delete(project=self.project)
        return Response(status=status.HTTP_204_NO_CONTENT)
