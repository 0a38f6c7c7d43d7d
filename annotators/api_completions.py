"""Completions on Label Studio's paths (our model is Completion, its "annotation"):
/api/tasks/{id}/annotations/ (GET, POST), /api/annotations/{id}/ (GET, PATCH, PUT, DELETE) with
optimistic versions (``version`` or ``If-Match``; the answer's ``ETag``), and
/api/projects/{id}/annotations/ (the project's completions, filtered).

Views parse input, resolve objects the user may see (404 otherwise) and call services.
"""

from __future__ import annotations

import re

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ml_backends.models import Prediction
from projects.permissions import ProjectMember
from tasks.selectors import task_for

from . import selectors, services
from .api_request import valid
from .filters import (
    CompletionFilter,
    query_params,
)
from .models import Completion
from .serializers import (
    CompletionCreateSerializer,
    CompletionSerializer,
    CompletionUpdateSerializer,
    completion_json,
)

IF_MATCH = re.compile(r'^(?:W/)?"?v?(\d+)"?$')


def sent_version(request):
    """The version the client edited: body ``version`` or an ``If-Match`` header ("3", W/"3")."""
    body = request.data if isinstance(request.data, dict) else {}
    if body.get("version") not in (None, ""):
        return body.get("version")
    header = request.headers.get("If-Match", "").strip()
    if header:
        match = IF_MATCH.match(header)
        if not match:
            raise ValidationError({"detail": 'If-Match must be a completion version, e.g. "3"', "field": "If-Match"})
        return int(match.group(1))
    return request.query_params.get("version")


def with_etag(response: Response, completion: Completion) -> Response:
    response["ETag"] = f'"{completion.version}"'
    return response


class TaskCompletionsView(APIView):
    """GET: the task's completions the user may see. POST: submit (or, with was_cancelled, skip)."""

    serializer_class = CompletionSerializer

    @extend_schema(responses=CompletionSerializer(many=True))
    def get(self, request, task_id):
        task = task_for(request.user, task_id)
        qs = selectors.completions_visible_to(request.user, task.project).filter(task=task).order_by("id")
        return Response(CompletionSerializer(qs, many=True).data)

    @extend_schema(request=CompletionCreateSerializer, responses={201: CompletionSerializer})
    def post(self, request, task_id):
        task = task_for(request.user, task_id)
        data = valid(CompletionCreateSerializer, request.data)
        prediction = None
        if data.get("parent_prediction"):
            prediction = Prediction.objects.filter(pk=data["parent_prediction"], task=task).first()
            if prediction is None:
                raise ValidationError({"detail": "no such prediction for this task", "field": "parent_prediction"})
        completion = services.completion_create(
            task=task,
            user=request.user,
            result=data["result"],
            was_cancelled=data["was_cancelled"],
            lead_time=data.get("lead_time"),
            ground_truth=data["ground_truth"],
            draft_id=data.get("draft_id"),
            parent_prediction=prediction,
        )
        return with_etag(Response(completion_json(completion), status=status.HTTP_201_CREATED), completion)


class CompletionDetailView(APIView):
    """One completion. PATCH/PUT/DELETE take the edited version (body or If-Match): stale → 409
    with the current version; without one, last write wins (as in Label Studio)."""

    serializer_class = CompletionSerializer

    @extend_schema(responses=CompletionSerializer)
    def get(self, request, pk):
        completion = selectors.completion_for(request.user, pk)
        return with_etag(Response(completion_json(completion)), completion)

    @extend_schema(request=CompletionUpdateSerializer, responses=CompletionSerializer)
    def patch(self, request, pk):
        return self._update(request, pk, partial=True)

    @extend_schema(request=CompletionUpdateSerializer, responses=CompletionSerializer)
    def put(self, request, pk):
        return self._update(request, pk, partial=False)

    def _update(self, request, pk, partial: bool):
        completion = selectors.completion_for(request.user, pk)
        data = valid(CompletionUpdateSerializer, request.data)
        if not partial and "result" not in data:
            raise ValidationError({"detail": "PUT replaces the completion: send its result", "field": "result"})
        changes = {k: data[k] for k in ("result", "was_cancelled", "lead_time") if k in data}
        completion = services.completion_update(
            completion=completion, user=request.user, version=sent_version(request), **changes
        )
        return with_etag(Response(completion_json(completion)), completion)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        completion = selectors.completion_for(request.user, pk)
        services.completion_delete(completion=completion, user=request.user, version=sent_version(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProjectCompletionList(generics.ListAPIView):
    """GET /api/projects/{id}/annotations/?review=pending|accepted|rejected|fixed|reviewed
    &ground_truth=1&completed_by=ID&task=ID — for the compare view and the data manager."""

    serializer_class = CompletionSerializer
    filter_backends = []

    permission_classes = [IsAuthenticated, ProjectMember]

    def get_queryset(self):
        qs = selectors.completions_visible_to(self.request.user, self.project).order_by("id")
        return query_params(CompletionFilter, self.request, qs).qs
