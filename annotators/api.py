"""Completion API on Label Studio's paths (our model is Completion, its "annotation"):

/api/tasks/{id}/annotations/ (GET, POST), /api/annotations/{id}/ (GET, PATCH, PUT, DELETE),
/api/annotations/{id}/review, /api/annotations/{id}/ground-truth, /api/projects/{id}/next,
/api/tasks/{id}/lock, /api/tasks/{id}/drafts, /api/drafts/, /api/drafts/{id}/.
Project-level endpoints (review queue, assignments, agreement, stats) are in api_project.py.

Views parse input, resolve objects the user may see (projects/access.py: 404 otherwise) and call
services, which check what the user's role allows.
"""

from __future__ import annotations

import re
import threading

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ml_backends.models import Prediction
from projects.permissions import ProjectMember
from tasks.selectors import task_for

from . import selectors, services
from .filters import DraftFilter, NextTaskParams, query_params
from .models import Completion, Draft
from .serializers import (
    CompletionCreateSerializer,
    CompletionSerializer,
    CompletionUpdateSerializer,
    DraftSerializer,
    GroundTruthSerializer,
    ReviewSerializer,
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


_validators = threading.local()


def valid(serializer_class, data):
    """Validated input. Plain input serializers are kept per thread and reused: building one
    deep-copies its fields, which cost more than the validation on the submit path. (Model
    serializers, which may hold an instance, are made fresh.)"""
    if issubclass(serializer_class, serializers.ModelSerializer):
        serializer = serializer_class(data=data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data
    kept = _validators.__dict__
    serializer = kept.get(serializer_class) or kept.setdefault(serializer_class, serializer_class())
    return serializer.run_validation(data)  # raises the same ValidationError as is_valid()


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


class CompletionReviewView(APIView):
    serializer_class = CompletionSerializer

    @extend_schema(request=ReviewSerializer, responses=CompletionSerializer)
    def post(self, request, pk):
        completion = selectors.completion_for(request.user, pk)
        data = valid(ReviewSerializer, request.data)
        completion, correction = services.completion_review(
            completion=completion,
            reviewer=request.user,
            action=data["action"],
            comment=data["comment"],
            result=data.get("result"),
            version=data.get("version"),
        )
        body = completion_json(completion)
        if correction is not None:
            body["correction"] = completion_json(correction)
        return Response(body, status=status.HTTP_201_CREATED if correction else status.HTTP_200_OK)


class CompletionGroundTruthView(APIView):
    serializer_class = CompletionSerializer

    @extend_schema(request=GroundTruthSerializer, responses=CompletionSerializer)
    def post(self, request, pk):
        completion = selectors.completion_for(request.user, pk)
        data = valid(GroundTruthSerializer, request.data)
        completion = services.completion_mark_ground_truth(
            completion=completion, user=request.user, value=data["value"]
        )
        return Response(completion_json(completion))


class NextTaskView(APIView):
    """GET /api/projects/{id}/next: the next task for the user, locked for them, with the current
    model's predictions and their draft; 404 with a message when nothing is left."""

    permission_classes = [IsAuthenticated, ProjectMember]

    @extend_schema(responses={200: dict})
    def get(self, request, pk):
        project = self.project
        defer = query_params(NextTaskParams, request).form.cleaned_data["defer"]
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
        return Response(selectors.task_payload(task, request.user))


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


class CompletionHistoryView(APIView):
    """GET /api/annotations/{id}/history: submission, rejections (with comments), resubmissions,
    acceptance and corrections, oldest first."""

    @extend_schema(responses={200: dict})
    def get(self, request, pk):
        completion = selectors.completion_for(request.user, pk)
        return Response(selectors.review_history(completion))


class TaskDraftsView(APIView):
    """GET: the user's draft of the task (a list of zero or one). POST: save it (upsert)."""

    serializer_class = DraftSerializer

    def get(self, request, task_id):
        task = task_for(request.user, task_id)
        return Response(DraftSerializer(Draft.objects.filter(task=task, user=request.user), many=True).data)

    @extend_schema(request=DraftSerializer, responses={201: DraftSerializer})
    def post(self, request, task_id):
        task = task_for(request.user, task_id)
        data = valid(DraftSerializer, request.data)
        draft = services.draft_save(
            task=task,
            user=request.user,
            result=data.get("result", []),
            lead_time=data.get("lead_time"),
            completion_id=data.get("completion_id"),
        )
        return Response(DraftSerializer(draft).data, status=status.HTTP_201_CREATED)


class DraftListView(generics.ListAPIView):
    """GET /api/drafts/?project=ID: the user's own drafts."""

    serializer_class = DraftSerializer
    filter_backends = []

    def get_queryset(self):
        qs = Draft.objects.filter(user=self.request.user).order_by("-updated_at")
        return query_params(DraftFilter, self.request, qs).qs


class DraftDetailView(APIView):
    serializer_class = DraftSerializer

    def _draft(self, request, pk) -> Draft:
        draft = Draft.objects.select_related("task__project").filter(pk=pk, user=request.user).first()
        if draft is None:
            raise Http404("no such draft")
        return draft

    def get(self, request, pk):
        return Response(DraftSerializer(self._draft(request, pk)).data)

    @extend_schema(request=DraftSerializer, responses=DraftSerializer)
    def patch(self, request, pk):
        draft = self._draft(request, pk)
        data = valid(DraftSerializer, request.data)
        draft = services.draft_update(
            draft=draft, user=request.user, result=data.get("result"), lead_time=data.get("lead_time")
        )
        return Response(DraftSerializer(draft).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        services.draft_delete(draft=self._draft(request, pk), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
