"""Project numbers for managers and reviewers: /api/projects/{id}/agreement/ and
/api/projects/{id}/stats/ (the dashboard)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from . import stats
from .api_request import project_or_404
from .permissions import staff_or_403


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
