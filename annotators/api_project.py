"""Project-level endpoints of the annotators app: /api/projects/{id}/annotations/,
/api/projects/{id}/review-queue, /api/projects/{id}/assignments/,
/api/projects/{id}/quality-settings/, /api/projects/{id}/agreement/, /api/projects/{id}/stats/.
Per-completion endpoints are in api.py."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from projects.access import ALL_ROLES
from projects.permissions import ProjectManager, ProjectMember, ProjectStaff

from . import selectors, services, stats
from .api import valid
from .filters import AgreementParams, AssignmentFilter, CompletionFilter, ReviewQueueFilter, StatsParams, query_params
from .serializers import (
    AssignmentChangeSerializer,
    AssignmentRemoveSerializer,
    AssignmentSerializer,
    CompletionSerializer,
    QualitySettingsSerializer,
)


class ProjectCompletionList(generics.ListAPIView):
    """GET /api/projects/{id}/annotations/?review=pending|accepted|rejected|fixed|reviewed
    &ground_truth=1&completed_by=ID&task=ID — for the compare view and the data manager."""

    serializer_class = CompletionSerializer
    filter_backends = []

    permission_classes = [IsAuthenticated, ProjectMember]

    def get_queryset(self):
        qs = selectors.completions_visible_to(self.request.user, self.project).order_by("id")
        return query_params(CompletionFilter, self.request, qs).qs


class ReviewQueueView(generics.ListAPIView):
    """Staff: completions waiting for review (``?status=`` picks another state). Annotators: their
    rejected completions, with the reviewers' comments, to fix."""

    serializer_class = CompletionSerializer
    filter_backends = []

    permission_classes = [IsAuthenticated, ProjectMember]

    def get_queryset(self):
        state = query_params(ReviewQueueFilter, self.request).form.cleaned_data["status"]
        return selectors.review_queue_for(self.request.user, self.project, state or None)


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
        user = query_params(AssignmentFilter, self.request).form.cleaned_data["user"]
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


class AgreementView(APIView):
    """GET /api/projects/{id}/agreement/?max_tasks=N — managers and reviewers."""

    permission_classes = [IsAuthenticated, ProjectStaff]
    denied = "only managers and reviewers may see agreement"

    @extend_schema(responses={200: dict})
    def get(self, request, pk):
        params = query_params(AgreementParams, request).form.cleaned_data
        return Response(stats.project_agreement(self.project, max_tasks=params["max_tasks"]))


class StatsView(APIView):
    """GET /api/projects/{id}/stats/?days=30 — the dashboard's numbers; managers and reviewers."""

    permission_classes = [IsAuthenticated, ProjectStaff]
    denied = "only managers and reviewers may see project statistics"

    @extend_schema(responses={200: dict})
    def get(self, request, pk):
        params = query_params(StatsParams, request).form.cleaned_data
        return Response(stats.project_stats(self.project, days=params["days"], max_tasks=params["max_tasks"]))
