"""Saved labels on Label Studio's paths: /api/labels (a list body creates several and links them
to a project), /api/label_links (``?project=``, ``?expand=label``). The rules are in
projects.services / projects.selectors: organization scoping (another organization's label is a
404), any member may add labels to their project, managers change or remove them."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from labelstudio.core.exceptions import NotFound, int_param

from . import selectors, services
from .label_serializers import (
    LabelCreatedSerializer,
    LabelCreateItemSerializer,
    LabelLinkSerializer,
    LabelLinkWriteSerializer,
    LabelSerializer,
    LabelUpdateSerializer,
)
from .models import Label, LabelLink
from .permissions import ProjectRole

WRITE_METHODS = ["get", "post", "patch", "delete", "head", "options"]


@extend_schema_view(
    create=extend_schema(
        request=LabelCreateItemSerializer(many=True), responses={201: LabelCreatedSerializer(many=True)}
    ),
    partial_update=extend_schema(request=LabelUpdateSerializer, responses=LabelSerializer),
)
class LabelViewSet(viewsets.ModelViewSet):
    queryset = Label.objects.none()  # for the schema; get_queryset() decides
    serializer_class = LabelSerializer
    permission_classes = [IsAuthenticated]
    http_method_names = WRITE_METHODS
    filter_backends: list = []
    lookup_value_regex = r"\d+"  # /api/labels/bulk is the annotators app's

    def get_queryset(self):
        return selectors.labels_for(self.request.user).prefetch_related("links")

    def create(self, request, *args, **kwargs):
        body = request.data if isinstance(request.data, list) else [request.data]
        items = LabelCreateItemSerializer(data=body, many=True)
        items.is_valid(raise_exception=True)
        labels = services.labels_add(user=request.user, items=[dict(item) for item in items.validated_data])
        return Response(LabelCreatedSerializer(labels, many=True).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        fields = LabelUpdateSerializer(data=request.data, partial=True)
        fields.is_valid(raise_exception=True)
        label = services.label_update(user=request.user, label=self.get_object(), **fields.validated_data)
        return Response(LabelSerializer(label).data)

    def perform_destroy(self, instance):
        services.label_delete(user=self.request.user, label=instance)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("project", int, description="only this project's links"),
            OpenApiParameter("expand", str, description="'label': the label itself instead of its id"),
        ]
    ),
    create=extend_schema(request=LabelLinkWriteSerializer, responses={201: LabelLinkSerializer}),
    partial_update=extend_schema(request=LabelLinkWriteSerializer, responses=LabelLinkSerializer),
)
class LabelLinkViewSet(viewsets.ModelViewSet):
    queryset = LabelLink.objects.none()
    serializer_class = LabelLinkSerializer
    permission_classes = [IsAuthenticated, ProjectRole]  # members read, managers write
    http_method_names = WRITE_METHODS
    filter_backends: list = []
    lookup_value_regex = r"\d+"  # ids only, as for labels

    def get_queryset(self):
        project = int_param(self.request.query_params.get("project"), "project")
        return selectors.label_links_for(self.request.user, project)

    def get_serializer_context(self):
        expand = self.request.query_params.get("expand", "") if self.request else ""
        return {**super().get_serializer_context(), "expand_label": "label" in expand.split(",")}

    def create(self, request, *args, **kwargs):
        body = LabelLinkWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        label = selectors.labels_for(request.user).filter(pk=body.validated_data.get("label")).first()
        if label is None:
            raise NotFound("no such label")
        link = services.label_link_add(
            user=request.user,
            project_id=body.validated_data.get("project"),
            label=label,
            from_name=body.validated_data["from_name"],
        )
        return Response(self.get_serializer(link).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        link = self.get_object()
        body = LabelLinkWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        link = services.label_link_update(user=request.user, link=link, from_name=body.validated_data["from_name"])
        return Response(self.get_serializer(link).data)

    def perform_destroy(self, instance):
        services.label_link_delete(user=self.request.user, link=instance)
