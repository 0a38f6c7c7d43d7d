"""Drafts (a completion not yet submitted, private to its author): /api/tasks/{id}/drafts,
/api/drafts/, /api/drafts/{id}/."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from tasks.selectors import task_for

from . import services
from .api_request import valid
from .filters import (
    DraftFilter,
    query_params,
)
from .models import Draft
from .serializers import (
    DraftSerializer,
)


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
