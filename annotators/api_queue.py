"""The labeling queue: /api/projects/{id}/next (the next task), /api/tasks/{id}/lock (+ /release),
and what decides what the queue serves: /api/projects/{id}/assignments/ (manual assignments) and
/api/projects/{id}/quality-settings/ (the honeypot share)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from projects.access import ALL_ROLES
from projects.permissions import ProjectManager, ProjectMember
from tasks.selectors import task_for

from . import selectors, services
from .api_request import valid
from .filters import (
    AssignmentFilter,
    NextTaskParams,
    query_options,
)
from .serializers import (
    AssignmentChangeSerializer,
    AssignmentRemoveSerializer,
    AssignmentSerializer,
    QualitySettingsSerializer,
    next_task_json,
)


class NextTaskView(APIView):
    """GET /api/projects/{id}/next: the next task for the user, locked for them, with the current
    model's predictions and their draft; 404 with a message when nothing is left."""

    permission_classes = [IsAuthenticated, ProjectMember]

    @extend_schema(responses={200: dict})
    def get(self, request, pk):
        project = self.project
        defer = query_options(NextTaskParams, request)["defer"]
        task = services.next_task_for(request.user, project, defer=defer)
        if task is None:
            locked = services.tasks_locked_by_others(request.user, project)
            if locked:
                detail = f"{locked} task{'s are' if locked != 1 else ' is'} being labeled by others right now"
                body = {"detail": detail, "locked_by_others": locked, "retry_after": LOCKED_RETRY_SECONDS}
                return Response(body, status=status.HTTP_404_NOT_FOUND, headers={"Retry-After": LOCKED_RETRY_SECONDS})
            body = {"detail": "no more tasks to label in this project", "locked_by_others": 0}
            return Response(body, status=status.HTTP_404_NOT_FOUND)
        task.project = project
        return Response(next_task_json(task, selectors.labeling_parts(task, request.user)))


LOCKED_RETRY_SECONDS = 5


class TaskLockView(APIView):
    """POST /api/tasks/{id}/lock: heartbeat — the labeling page is still open on the task: keep the
    user's lock alive for the project's lock time, or take it again if it lapsed and the task still
    has room (409 when others fill it, or the user answered it). DELETE: give the task back
    without answering it."""

    @extend_schema(request=None, responses={200: dict, 409: dict})
    def post(self, request, task_id):
        task = task_for(request.user, task_id)
        if not services.task_lock_heartbeat(user=request.user, task=task):
            body = {"detail": "someone else is labeling this task right now, or you answered it", "locked": False}
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response({"locked": True, "ttl": task.project.task_lock_ttl})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, task_id):
        task = task_for(request.user, task_id)
        services.task_locks_release(user=request.user, task=task)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TaskLockReleaseView(APIView):
    """POST /api/tasks/{id}/lock/release: the page was left (navigator.sendBeacon on pagehide, which
    can only POST; the session's CSRF token goes in the form field ``csrfmiddlewaretoken``)."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request, task_id):
        task = task_for(request.user, task_id)
        services.task_locks_release(user=request.user, task=task)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _users(project, ids) -> list:
    """The project's members with these ids; any other id (a stranger or no user at all: the
    answer doesn't tell which) is a 400."""
    users = list(project.members.filter(pk__in=ids))
    if len(users) != len(set(ids)):
        found = {u.pk for u in users}
        outsiders = sorted({i for i in ids if i not in found})[:20]
        raise ValidationError({"detail": f"users {outsiders} are not members of this project", "field": "users"})
    return users


class AssignmentsView(generics.ListAPIView):
    """GET: the project's manual assignments (``?user=ID``). POST {users, tasks}: assign every task
    to every user. DELETE {users?, tasks?}: remove. Managers only."""

    serializer_class = AssignmentSerializer
    filter_backends = []

    permission_classes = [IsAuthenticated, ProjectManager]
    denied = "only managers may see assignments"
    write_roles = ALL_ROLES  # the service refuses non-managers, once the body is read

    def get_queryset(self):
        user = query_options(AssignmentFilter, self.request)["user"]
        return selectors.assignments_of(self.project, user)

    @extend_schema(request=AssignmentChangeSerializer, responses={201: dict})
    def post(self, request, pk):
        project = self.project
        data = valid(AssignmentChangeSerializer, request.data)
        added = services.assignments_add(
            project=project, users=_users(project, data["users"]), task_ids=data["tasks"], assigned_by=request.user
        )
        return Response({"added": added}, status=status.HTTP_201_CREATED)

    @extend_schema(request=AssignmentRemoveSerializer, responses={200: dict})
    def delete(self, request, pk):
        project = self.project
        data = valid(AssignmentRemoveSerializer, request.data)
        removed = services.assignments_remove(
            project=project,
            removed_by=request.user,
            users=_users(project, data["users"]) if "users" in data else None,
            task_ids=data.get("tasks"),
        )
        return Response({"removed": removed})


class QualitySettingsView(APIView):
    """GET: members. PATCH: the service refuses non-managers, once the body is read."""

    serializer_class = QualitySettingsSerializer
    permission_classes = [IsAuthenticated, ProjectMember]

    def get(self, request, pk):
        return Response(QualitySettingsSerializer(services.quality_settings_get(self.project)).data)

    @extend_schema(request=QualitySettingsSerializer, responses=QualitySettingsSerializer)
    def patch(self, request, pk):
        data = valid(QualitySettingsSerializer, request.data)
        settings = services.quality_settings_update(
            project=self.project, user=request.user, honeypot_share=data.get("honeypot_share", 0.0)
        )
        return Response(QualitySettingsSerializer(settings).data)
