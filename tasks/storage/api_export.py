"""``/api/storages/export/{s3,localfiles}`` (CRUD, ``validate``, ``{id}/sync``) and the storage type
lists ``/api/storages/types`` and ``/api/storages/export/types``, on Label Studio's paths and
shapes. Managers only."""

from __future__ import annotations

from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from labelstudio.core.exceptions import int_param
from projects.access import MANAGERS, project_for
from projects.selectors import projects_managed_by
from tasks.models import ExportStorage

from . import export as services
from .api import DENIED, named
from .serializers import NullMeansUnset

IMPORT_TYPES = [{"name": "s3", "title": "AWS S3"}, {"name": "localfiles", "title": "Local files"}]
EXPORT_TYPES = [{"name": "s3", "title": "AWS S3"}, {"name": "localfiles", "title": "Local files"}]
SECRETS = ("aws_secret_access_key", "aws_session_token")


class ExportStorageSerializer(NullMeansUnset, serializers.ModelSerializer):
    type = serializers.CharField(source="storage_type", read_only=True)

    class Meta:
        model = ExportStorage
        fields = [
            "id", "type", "project", "title", "description", "path", "bucket", "prefix", "aws_access_key_id",
            "aws_secret_access_key", "aws_session_token", "region_name", "s3_endpoint", "can_delete_objects",
            "last_sync", "last_sync_count", "created_at",
        ]  # fmt: skip
        read_only_fields = ["id", "type", "last_sync", "last_sync_count", "created_at"]
        extra_kwargs = {**{s: {"write_only": True} for s in SECRETS}, "project": {"required": False}}


class ExportStorageViewSet(viewsets.ModelViewSet):
    serializer_class = ExportStorageSerializer
    pagination_class = None  # Label Studio returns a plain list
    storage_type = "s3"

    def get_queryset(self):
        user = self.request.user
        qs = ExportStorage.objects.filter(storage_type=self.storage_type).select_related("project")
        if not user.is_superuser:
            qs = qs.filter(project__in=projects_managed_by(user))
        project = self.request.query_params.get("project")
        if project and self.action == "list":
            qs = qs.filter(project_id=project) if project.isdigit() else qs.none()
        return qs

    def _fields(self, data: dict) -> dict:
        data = {k: v for k, v in data.items() if k in services.FIELDS[self.storage_type]}
        return data

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        project_id = getattr(data.pop("project", None), "pk", None)
        project = project_for(self.request.user, named(project_id), roles=MANAGERS, denied=DENIED)
        serializer.instance = services.export_storage_create(
            project=project, storage_type=self.storage_type, **self._fields(data)
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("project", None)
        serializer.instance = services.export_storage_update(storage=serializer.instance, **self._fields(data))

    @action(detail=False, methods=["post"])
    def validate(self, request):
        storage_id = int_param(request.data.get("id"), "id") if isinstance(request.data, dict) else None
        base = self.get_queryset().filter(pk=storage_id).first() if storage_id else None
        serializer = self.get_serializer(base, data=request.data, partial=base is not None)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        project = data.pop("project", None) or (base.project if base else None)
        project = project_for(request.user, named(getattr(project, "pk", None)), roles=MANAGERS, denied=DENIED)
        storage = base or ExportStorage(project=project, storage_type=self.storage_type)
        for name, value in self._fields(data).items():
            setattr(storage, name, value)
        services.export_storage_validate(storage=storage)
        return Response({"ok": True})

    @action(detail=True, methods=["post"])
    def sync(self, request, pk=None):
        storage = self.get_object()
        services.export_storage_sync(storage=storage)
        return Response(self.get_serializer(storage).data, status=status.HTTP_200_OK)


class S3ExportStorageViewSet(ExportStorageViewSet):
    storage_type = "s3"


class LocalFilesExportStorageViewSet(ExportStorageViewSet):
    storage_type = "localfiles"


class ImportStorageTypes(APIView):
    def get(self, request):
        return Response(IMPORT_TYPES)


class ExportStorageTypes(APIView):
    def get(self, request):
        return Response(EXPORT_TYPES)


class ImportStorageList(APIView):
    """GET /api/storages/?project= — every import storage of a project (the legacy client's
    ``get_import_storages``), each with its ``type``."""

    def get(self, request):
        from tasks.models import LocalFilesImportStorage, S3ImportStorage

        from .api_local import LocalFilesImportStorageSerializer
        from .serializers import S3ImportStorageSerializer

        project_id = named(request.query_params.get("project"))

        project = project_for(request.user, project_id, roles=MANAGERS, denied=DENIED)
        s3 = S3ImportStorageSerializer(S3ImportStorage.objects.filter(project=project), many=True).data
        local = LocalFilesImportStorageSerializer(LocalFilesImportStorage.objects.filter(project=project), many=True)
        return Response([*s3, *local.data])


class ExportStorageList(APIView):
    """GET /api/storages/export?project= — every export storage of a project (legacy client)."""

    def get(self, request):
        project_id = named(request.query_params.get("project"))
        project = project_for(request.user, project_id, roles=MANAGERS, denied=DENIED)
        return Response(ExportStorageSerializer(ExportStorage.objects.filter(project=project), many=True).data)
