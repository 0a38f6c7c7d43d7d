"""ML endpoints on Label Studio's paths: /api/ml/, /api/predictions/, /api/tasks/{id}/predictions,
/api/projects/{id}/model-versions/, /api/projects/{id}/ml-settings (webhooks: labelstudio/webhooks/).

Members read; managers register backends and start jobs; any member may ask an
interactive backend for regions and accept a prediction as their own completion. Non-members 404.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from labelstudio.core.pagination import PlainListUnlessPaged
from labelstudio.core.serializers import JobSerializer
from projects.access import ALL_ROLES, MANAGERS, project_for, role_check
from projects.permissions import ProjectMember, ProjectRole
from tasks.selectors import task_for

from . import selectors, services
from .backends import backend_reported_versions
from .chat import chat_reply
from .models import MLBackend, Prediction
from .serializers import (
    ChatSerializer,
    InteractiveSerializer,
    MLBackendSerializer,
    MLSettingsSerializer,
    PredictionSerializer,
    PredictionUpdateSerializer,
    PrelabelRequestSerializer,
)


def _job(job) -> Response:
    return Response(JobSerializer(job).data, status=status.HTTP_201_CREATED)


class MLBackendViewSet(viewsets.ModelViewSet):
    """/api/ml/ (?project=): register, edit, remove, check, train, pre-label."""

    pagination_class = PlainListUnlessPaged

    serializer_class = MLBackendSerializer
    permission_classes = [IsAuthenticated, ProjectRole]
    filterset_fields = ["project"]

    @property
    def throttle_scope(self) -> str:
        """Per-user rates of the actions that call the backend from the request (settings:
        ML_CHECK_RATE for health/versions, ML_INTERACTIVE_RATE for interactive labeling)."""
        return "ml_interactive" if self.action in ("interactive_annotating", "chat") else "ml_check"

    @property
    def write_roles(self):
        return ALL_ROLES if self.action in ("interactive_annotating", "chat") else MANAGERS

    def _managed_backend(self) -> MLBackend:
        """Health and versions call the backend from the web process: managers only (an annotator
        holding web threads against a hung backend slows everyone down)."""
        backend = self.get_object()
        role_check(
            self.request.user, backend.project, MANAGERS, denied="only the project's managers may check an ML backend"
        )
        return backend

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return MLBackend.objects.none()
        return selectors.backend_list_for(self.request.user).order_by("id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        project = project_for(self.request.user, data.pop("project").pk, roles=MANAGERS)
        serializer.instance = services.ml_backend_create(project=project, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if "project" in data and data.pop("project") != serializer.instance.project:
            raise PermissionDenied("a backend cannot move to another project")
        serializer.instance = services.ml_backend_update(backend=serializer.instance, **data)

    def perform_destroy(self, instance):
        services.ml_backend_delete(backend=instance)

    @extend_schema(request=None, responses=MLBackendSerializer)
    @action(detail=True, methods=["get", "post"], throttle_classes=[ScopedRateThrottle])
    def health(self, request, pk=None):
        """Ask the backend now (/health then /setup, short timeouts) and show its state. Managers."""
        backend = services.ml_backend_check(backend=self._managed_backend())
        return Response(self.get_serializer(backend).data)

    @extend_schema(request=None, responses={200: dict})
    @action(detail=True, methods=["get"], throttle_classes=[ScopedRateThrottle])
    def versions(self, request, pk=None):
        """Versions with predictions here, the backend's current one, and those it lists itself.
        Managers (it asks the backend)."""
        backend = self._managed_backend()
        rows = selectors.backend_versions(backend)
        reported = backend_reported_versions(backend)
        known = list(dict.fromkeys([backend.model_version, *(r["model_version"] for r in rows), *reported]))
        return Response(
            {
                "versions": [v for v in known if v],
                "current": backend.model_version,
                "details": rows,
                "reported_by_backend": reported,
            }
        )

    @extend_schema(request=None, responses=JobSerializer)
    @action(detail=True, methods=["post"])
    def train(self, request, pk=None):
        return _job(services.train_start(backend=self.get_object(), created_by=request.user))

    @extend_schema(request=PrelabelRequestSerializer, responses=JobSerializer)
    @action(detail=True, methods=["post"])
    def predict(self, request, pk=None):
        """Start a pre-labeling job for ``task_ids`` (body or ?task_ids=1,2) or all tasks."""
        backend = self.get_object()
        body = PrelabelRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if data.get("task_ids") is None and request.query_params.get("task_ids"):
            try:
                data["task_ids"] = [int(x) for x in request.query_params["task_ids"].split(",") if x.strip()]
            except ValueError:
                return Response({"detail": "task_ids must be integers", "field": "task_ids"}, status=400)
        return _job(services.prelabel_start(backend=backend, created_by=request.user, **data))

    @extend_schema(request=None, responses={200: dict})
    @action(detail=True, methods=["post"], url_path="predict/test")
    def predict_test(self, request, pk=None):
        """Label Studio's test prediction on one random task (``?random=true``); nothing is saved."""
        backend = self.get_object()
        if request.query_params.get("random", "").lower() not in ("true", "1"):
            return Response({"error": "Not implemented - you must provide random=true query parameter"}, status=501)
        return Response(services.predict_test(backend=backend))

    @extend_schema(request=InteractiveSerializer, responses={200: dict})
    @action(detail=True, methods=["post"], url_path="interactive-annotating", throttle_classes=[ScopedRateThrottle])
    def interactive_annotating(self, request, pk=None):
        backend = self.get_object()
        body = InteractiveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        task = task_for(request.user, body.validated_data["task"], project_id=backend.project_id)
        answer = services.interactive_annotate(backend=backend, task=task, context=body.validated_data["context"])
        return Response(answer)

    @extend_schema(request=ChatSerializer, responses={200: dict})
    @action(detail=True, methods=["post"], url_path="chat", throttle_classes=[ScopedRateThrottle])
    def chat(self, request, pk=None):
        """The next assistant message of a ``<Chat llm=...>`` conversation, from this backend's /predict."""
        backend = self.get_object()
        body = ChatSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        task = task_for(request.user, body.validated_data["task"], project_id=backend.project_id)
        data = body.validated_data
        return Response(chat_reply(backend=backend, task=task, name=data["chat"], messages=data["messages"]))


class PredictionViewSet(viewsets.ModelViewSet):
    """/api/predictions/ (?task=, ?project=): members read; managers write; accept → completion."""

    pagination_class = PlainListUnlessPaged

    permission_classes = [IsAuthenticated, ProjectRole]
    filterset_fields = ["task", "project", "model_version", "ml_backend"]

    @property
    def write_roles(self):
        return ALL_ROLES if self.action == "accept" else MANAGERS

    def get_serializer_class(self):
        return PredictionUpdateSerializer if self.action in ("update", "partial_update") else PredictionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Prediction.objects.none()
        return selectors.prediction_list_for(self.request.user).order_by("id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        task = data["task"]
        project_for(self.request.user, task.project_id, roles=MANAGERS)
        serializer.instance = services.prediction_create(
            task=task, result=data["result"], score=data.get("score"), model_version=data.get("model_version", "")
        )

    def perform_update(self, serializer):
        serializer.instance = services.prediction_update(prediction=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.prediction_delete(prediction=instance)

    @extend_schema(request=None, responses={201: dict})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The prediction becomes the requesting user's completion (parent_prediction set)."""
        completion = services.prediction_accept(prediction=self.get_object(), user=request.user)
        return Response(
            {
                "id": completion.pk,
                "task": completion.task_id,
                "result": completion.result,
                "completed_by": completion.completed_by_id,
                "parent_prediction": completion.parent_prediction_id,
            },
            status=status.HTTP_201_CREATED,
        )


class TaskPredictionList(generics.ListAPIView):
    """GET /api/tasks/{id}/predictions — every version's predictions of one task (compare view)."""

    serializer_class = PredictionSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Prediction.objects.none()
        task = task_for(self.request.user, self.kwargs["pk"])
        return selectors.prediction_list_for(self.request.user).filter(task=task).order_by("id")


class ProjectImportPredictions(APIView):
    """POST /api/projects/{id}/import/predictions — Label Studio's bulk prediction import."""

    permission_classes = [IsAuthenticated, ProjectMember]
    write_roles = MANAGERS

    @extend_schema(request=dict, responses={201: dict})
    def post(self, request, pk):
        created = services.predictions_import(project=self.project, items=request.data)
        return Response({"created": created}, status=status.HTTP_201_CREATED)


class ProjectModelVersions(APIView):
    """GET /api/projects/{id}/model-versions/ — per version: counts, mean score, agreement."""

    permission_classes = [IsAuthenticated, ProjectMember]

    @extend_schema(responses={200: dict})
    def get(self, request, pk):
        project = self.project
        return Response(
            {
                "current": selectors.current_model_version(project),
                "project_model_version": project.model_version,
                "versions": selectors.model_version_stats(project),
            }
        )


class ProjectMLSettings(APIView):
    """GET/PATCH /api/projects/{id}/ml-settings — auto pre-label, batch size, HITL threshold."""

    permission_classes = [IsAuthenticated, ProjectMember]
    write_roles = MANAGERS

    @extend_schema(responses=MLSettingsSerializer)
    def get(self, request, pk):
        return Response(MLSettingsSerializer(services.ml_settings_get(self.project)).data)

    @extend_schema(request=MLSettingsSerializer, responses=MLSettingsSerializer)
    def patch(self, request, pk):
        project = self.project
        body = MLSettingsSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        return Response(MLSettingsSerializer(services.ml_settings_update(project=project, **body.validated_data)).data)

    put = patch
