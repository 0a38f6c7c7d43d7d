"""Project endpoints, on Label Studio's paths: /api/projects/, /api/projects/validate/,
/api/projects/{id}/validate/, /api/projects/{id}/members/, /api/templates/."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from labelstudio.core.exceptions import int_param
from labelstudio.core.orgs import can_create_projects

from . import label_config as lc
from . import selectors, services
from .access import MANAGERS, role_check
from .models import Project
from .permissions import ProjectRole
from .serializers import (
    COUNTER_FIELDS,
    LS_COUNTS,
    ConfigValidateSerializer,
    MembershipSerializer,
    ProjectSerializer,
    UserBriefSerializer,
)


class ProjectViewSet(viewsets.ModelViewSet):
    queryset = Project.objects.none()  # for the schema (typed ids); get_queryset() decides
    serializer_class = ProjectSerializer
    permission_classes = [IsAuthenticated, ProjectRole]
    filterset_fields = ["title"]

    def get_queryset(self):
        return selectors.project_list_for(self.request.user)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["counters"] = getattr(self, "_counters", {})
        return context

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self._counters = selectors.project_counters([p.pk for p in page])
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        project = self.get_object()
        self._counters = selectors.project_counters([project.pk])
        return Response(self.get_serializer(project).data)

    def create(self, request, *args, **kwargs):
        if not can_create_projects(request.user):
            raise PermissionDenied("your role in the organization does not allow creating projects")
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("label_config_version", None)
        serializer.instance = services.project_create(
            created_by=self.request.user,
            title=data.pop("title", "New project"),
            label_config=data.pop("label_config", "<View></View>"),
            **data,
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if "label_config" not in data:  # the version guards config changes only
            data.pop("label_config_version", None)
        serializer.instance = services.project_update(project=serializer.instance, **data)

    def perform_destroy(self, instance):
        services.project_delete(project=instance)

    @extend_schema(request=ConfigValidateSerializer, responses={200: dict})
    @action(detail=True, methods=["post"], url_path="validate")
    def validate_config(self, request, pk=None):
        """Check a config for this project, including against its existing completions."""
        project = self.get_object()
        serializer = ConfigValidateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        config = services.config_check_change(project, serializer.validated_data["label_config"])
        return Response({"valid": True, "data_keys": sorted(config.data_keys), "warnings": config.warnings})

    @extend_schema(responses={200: dict})
    @action(detail=False, methods=["get"], url_path="counts")
    def counts(self, request):
        """GET /api/projects/counts/ — Label Studio's per-project counters, paginated like the list."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        counters = selectors.project_counters([p.pk for p in page])
        names = (*COUNTER_FIELDS, *LS_COUNTS)
        rows = [{"id": p.pk, **{n: counters.get(p.pk, {}).get(n, 0) for n in names}} for p in page]
        return self.get_paginated_response(rows)

    @extend_schema(responses=UserBriefSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="annotators")
    def annotators(self, request, pk=None):
        """GET /api/projects/{id}/annotators/ — users with completions in the project (a plain list)."""
        project = self.get_object()
        return Response(UserBriefSerializer(selectors.project_unique_annotators(project, request.user), many=True).data)

    @extend_schema(responses=MembershipSerializer(many=True))
    @action(detail=True, methods=["get", "post", "delete"], url_path="members")
    def members(self, request, pk=None):
        project = self.get_object()
        if request.method == "GET":
            return Response(MembershipSerializer(selectors.members_of(project), many=True).data)
        role_check(request.user, project, MANAGERS, denied="only managers change members")
        user = _member_target(request.data, project)
        if request.method == "DELETE":
            services.membership_remove(project=project, user=user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        membership = services.membership_set(project=project, user=user, role=request.data.get("role", "annotator"))
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)


def _member_target(body, project):
    """The user a member change is about: ``user`` (an id) or ``username`` (exact), looked up only
    among the people of the project's organization. Unknown users and people of other
    organizations get the same 404, so the endpoint cannot be used to list every user's name and
    e-mail."""
    body = body if isinstance(body, dict) else {}
    people = selectors.org_users_of(project)
    if body.get("username") not in (None, "") and body.get("user") in (None, ""):
        user = people.filter(username=str(body["username"])).first()
    else:
        user_id = int_param(body.get("user"), "user", required=True)
        user = people.filter(pk=user_id).first()
    if user is None:
        raise Http404("no such user")
    return user


class ConfigValidateView(APIView):
    """POST /api/projects/validate/ — check a config without a project."""

    @extend_schema(request=ConfigValidateSerializer, responses={200: dict})
    def post(self, request):
        serializer = ConfigValidateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        config = services.config_parse_or_raise(serializer.validated_data["label_config"])
        return Response({"valid": True, "data_keys": sorted(config.data_keys), "warnings": config.warnings})


class TemplateListView(APIView):
    """GET /api/templates/ — the config gallery, each with sample task data."""

    @extend_schema(responses={200: dict})
    def get(self, request):
        return Response({"templates": lc.list_templates()})
