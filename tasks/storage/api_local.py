"""``/api/storages/localfiles`` (CRUD, ``validate``, ``{id}/sync``) and ``/data/local-files/?d=``
(a synced file for the members of a project whose local storage holds it)."""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from labelstudio.core.exceptions import int_param
from projects.access import MANAGERS, project_for
from projects.selectors import projects_managed_by
from tasks.importers.progress import import_status
from tasks.models import LocalFilesImportStorage

from . import local as services
from .api import DENIED, named
from .serializers import NullMeansUnset


class LocalFilesImportStorageSerializer(NullMeansUnset, serializers.ModelSerializer):
    type = serializers.SerializerMethodField()

    class Meta:
        model = LocalFilesImportStorage
        fields = ["id", "type", "project", *services.FIELDS, "last_sync", "last_sync_count", "created_at"]
        read_only_fields = ["id", "type", "last_sync", "last_sync_count", "created_at"]
        extra_kwargs = {"project": {"required": False}}

    def get_type(self, obj) -> str:
        return "localfiles"


class LocalFilesImportStorageViewSet(viewsets.ModelViewSet):
    serializer_class = LocalFilesImportStorageSerializer
    pagination_class = None

    def get_queryset(self):
        user = self.request.user
        qs = LocalFilesImportStorage.objects.select_related("project")
        if not user.is_superuser:
            qs = qs.filter(project__in=projects_managed_by(user))
        project = self.request.query_params.get("project")
        if project and self.action == "list":
            qs = qs.filter(project_id=project) if project.isdigit() else qs.none()
        return qs

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        project_id = getattr(data.pop("project", None), "pk", None)
        project = project_for(self.request.user, named(project_id), roles=MANAGERS, denied=DENIED)
        serializer.instance = services.local_storage_create(project=project, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("project", None)
        serializer.instance = services.local_storage_update(storage=serializer.instance, **data)

    @action(detail=False, methods=["post"])
    def validate(self, request):
        storage_id = int_param(request.data.get("id"), "id") if isinstance(request.data, dict) else None
        base = self.get_queryset().filter(pk=storage_id).first() if storage_id else None
        serializer = self.get_serializer(base, data=request.data, partial=base is not None)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        project = data.pop("project", None) or (base.project if base else None)
        project = project_for(request.user, named(getattr(project, "pk", None)), roles=MANAGERS, denied=DENIED)
        storage = base or LocalFilesImportStorage(project=project)
        for name, value in data.items():
            setattr(storage, name, value)
        services.local_storage_validate(storage=storage)
        return Response({"ok": True})

    @action(detail=True, methods=["post"])
    def sync(self, request, pk=None):
        storage = self.get_object()
        job = services.local_storage_sync(storage=storage, created_by=request.user)
        storage.refresh_from_db()
        body = self.get_serializer(storage).data
        if job is not None:
            body = {**body, "import": job.pk, "job": import_status(job)}
        return Response(body, status=status.HTTP_200_OK)


class LocalFile(APIView):
    def get(self, request):
        path = services.resolve_local_file(request.user, request.query_params.get("d", ""))
        if path is None:
            raise Http404("no such file")
        response = FileResponse(
            path.open("rb"), content_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "sandbox"
        return response
