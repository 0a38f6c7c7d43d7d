"""Project-level endpoints of the annotators app: /api/projects/{id}/annotations/,
/api/projects/{id}/review-queue, /api/projects/{id}/assignments/,
/api/projects/{id}/quality-settings/, /api/projects/{id}/agreement/, /api/projects/{id}/stats/.
Per-completion endpoints are in api.py."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors, services, stats
from .api import project_or_404, valid
from .permissions import manager_or_403, member_or_404, staff_or_403
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

    def get_queryset(self):
        project = project_or_404(self.request.user, self.kwargs["pk"])
        qs = selectors.completions_visible_to(self.request.user, project).order_by("id")
        params = self.request.query_params
        review = params.get("review") or params.get("review_status")
        if review and review not in selectors.REVIEW_STATES:
            raise ValidationError({"detail": f"review must be one of {', '.join(selectors.REVIEW_STATES)}"})
        qs = selectors.filter_completions_by_review(qs, review)
        if params.get("ground_truth") in ("1", "true", "True"):
            qs = qs.filter(ground_truth=True)
        for name in ("completed_by", "task"):
            if params.get(name, "").isdecimal():
                qs = qs.filter(**{f"{name}_id": int(params[name])})
        return qs


class ReviewQueueView(generics.ListAPIView):
    """Staff: completions waiting for review (``?status=`` picks another state). Annotators: their
    rejected completions, with the reviewers' comments, to fix."""

    serializer_class = CompletionSerializer
    filter_backends = []

    def get_queryset(self):
        project = project_or_404(self.request.user, self.kwargs["pk"])
        state = self.request.query_params.get("status")
        if state and state not in selectors.REVIEW_STATES:
            raise ValidationError({"detail": f"status must be one of {', '.join(selectors.REVIEW_STATES)}"})
        return selectors.review_queue_for(self.request.user, project, state)


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

    def get_queryset(self):
        project = project_or_404(self.request.user, self.kwargs["pk"])
        manager_or_403(self.request.user, project, "see assignments")
        user = self.request.query_params.get("user", "")
        return selectors.assignments_of(project, int(user) if user.isdecimal() else None)

    @extend_schema(request=AssignmentChangeSerializer, responses={201: dict})
    def post(self, request, pk):
        project = project_or_404(request.user, pk)
        data = valid(AssignmentChangeSerializer, request.data)
        added = services.assignments_add(
            project=project, users=_users(project, data["users"]), task_ids=data["tasks"], assigned_by=request.user
        )
        return Response({"added": added}, status=status.HTTP_201_CREATED)

    @extend_schema(request=AssignmentRemoveSerializer, responses={200: dict})
    def delete(self, request, pk):
        project = project_or_404(request.user, pk)
        data = valid(AssignmentRemoveSerializer, request.data)
        removed = services.assignments_remove(
            project=project,
            removed_by=request.user,
            users=_users(project, data["users"]) if "users" in data else None,
            task_ids=data.get("tasks"),
        )
        return Response({"removed": removed})


class QualitySettingsView(APIView):
    serializer_class = QualitySettingsSerializer

    def get(self, request, pk):
        project = project_or_404(request.user, pk)
        member_or_404(request.user, project)
        return Response(QualitySettingsSerializer(services.quality_settings_get(project)).data)

    @extend_schema(request=QualitySettingsSerializer, responses=QualitySettingsSerializer)
    def patch(self, request, pk):
        project = project_or_404(request.user, pk)
        data = valid(QualitySettingsSerializer, request.data)
        settings = services.quality_settings_update(
            project=project, user=request.user, honeypot_share=data.get("honeypot_share", 0.0)
        )
        return Response(QualitySettingsSerializer(settings).data)


def _int_param(request, name: str, default: int, lo: int, hi: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isdecimal() or not lo <= int(raw) <= hi:
        raise ValidationError({"detail": f"{name} must be an integer from {lo} to {hi}", "field": name})
    return int(raw)


class AgreementView(APIView):
    """GET /api/projects/{id}/agreement/?max_tasks=N — managers and reviewers."""

    @extend_schema(responses={200: dict})
    def get(self, request, pk):
        project = project_or_404(request.user, pk)
        staff_or_403(request.user, project, "see agreement")
        max_tasks = _int_param(request, "max_tasks", stats.MAX_AGREEMENT_TASKS, 1, 50_000)
        return Response(stats.project_agreement(project, max_tasks=max_tasks))


class StatsView(APIView):
    """GET /api/projects/{id}/stats/?days=30 — the dashboard's numbers; managers and reviewers."""

    @extend_schema(responses={200: dict})
    def get(self, request, pk):
        project = project_or_404(request.user, pk)
        staff_or_403(request.user, project, "see project statistics")
        days = _int_param(request, "days", 30, 1, 3660)
        max_tasks = _int_param(request, "max_tasks", stats.MAX_AGREEMENT_TASKS, 1, 50_000)
        return Response(stats.project_stats(project, days=days, max_tasks=max_tasks))
