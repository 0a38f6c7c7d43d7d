"""Project numbers for managers and reviewers: /api/projects/{id}/agreement/ and
/api/projects/{id}/stats/ (the dashboard)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from projects.permissions import ProjectStaff

from . import stats
from .filters import (
    AgreementParams,
    StatsParams,
    query_options,
)


class AgreementView(APIView):
    """GET /api/projects/{id}/agreement/?max_tasks=N — managers and reviewers."""

    permission_classes = [IsAuthenticated, ProjectStaff]
    denied = "only managers and reviewers may see agreement"

    @extend_schema(responses={200: dict})
    def get(self, request, pk):
        params = query_options(AgreementParams, request)
        return Response(stats.project_agreement(self.project, max_tasks=params["max_tasks"]))


class StatsView(APIView):
    """GET /api/projects/{id}/stats/?days=30 — the dashboard's numbers; managers and reviewers."""

    permission_classes = [IsAuthenticated, ProjectStaff]
    denied = "only managers and reviewers may see project statistics"

    @extend_schema(responses={200: dict})
    def get(self, request, pk):
        params = query_options(StatsParams, request)
        return Response(stats.project_stats(self.project, days=params["days"], max_tasks=params["max_tasks"]))
