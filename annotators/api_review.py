"""Review: /api/annotations/{id}/review (accept, reject, fix), /api/annotations/{id}/history,
/api/annotations/{id}/ground-truth and /api/projects/{id}/review-queue."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from projects.permissions import ProjectMember

from . import selectors, services
from .api_request import valid
from .filters import (
    ReviewQueueFilter,
    query_options,
)
from .serializers import (
    CompletionSerializer,
    GroundTruthSerializer,
    ReviewSerializer,
    completion_json,
)


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


class CompletionHistoryView(APIView):
    """GET /api/annotations/{id}/history: submission, rejections (with comments), resubmissions,
    acceptance and corrections, oldest first."""

    @extend_schema(responses={200: dict})
    def get(self, request, pk):
        completion = selectors.completion_for(request.user, pk)
        return Response(selectors.review_history(completion))


class ReviewQueueView(generics.ListAPIView):
    """Staff: completions waiting for review (``?status=`` picks another state). Annotators: their
    rejected completions, with the reviewers' comments, to fix."""

    serializer_class = CompletionSerializer
    filter_backends = []

    permission_classes = [IsAuthenticated, ProjectMember]

    def get_queryset(self):
        state = query_options(ReviewQueueFilter, self.request)["status"]
        return selectors.review_queue_for(self.request.user, self.project, state or None)
