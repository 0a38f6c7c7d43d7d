"""/api/webhooks/ (Label Studio's path and shapes): the project's managers only, since headers
may hold secrets; others see none, and non-members get 404."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from labelstudio.core.pagination import PlainListUnlessPaged
from projects.access import MANAGERS, project_for

from . import selectors
from .models import Webhook
from .payloads import webhook_events_info
from .serializers import WebhookSerializer
from .services import webhook_create, webhook_delete, webhook_update


class WebhookViewSet(viewsets.ModelViewSet):
    """/api/webhooks/ (?project=): the project's managers only (headers may hold secrets)."""

    pagination_class = PlainListUnlessPaged

    serializer_class = WebhookSerializer
    filterset_fields = ["project"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Webhook.objects.none()
        return selectors.webhook_list_for(self.request.user).order_by("id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        project = project_for(self.request.user, data.pop("project").pk, roles=MANAGERS)
        serializer.instance = webhook_create(project=project, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if "project" in data and data.pop("project") != serializer.instance.project:
            raise PermissionDenied("a webhook cannot move to another project")
        serializer.instance = webhook_update(webhook=serializer.instance, **data)

    def perform_destroy(self, instance):
        webhook_delete(webhook=instance)

    @extend_schema(responses={200: dict})
    @action(detail=False, methods=["get"], url_path="info")
    def info(self, request):
        """GET /api/webhooks/info/ — the events a webhook can subscribe to, in Label Studio's shape."""
        only = request.query_params.get("organization-only") or request.query_params.get("organization_only")
        events = webhook_events_info()
        if only in ("true", "1", "True"):
            events = {k: v for k, v in events.items() if v["organization-only"]}
        return Response(events)
