"""``/api/storages/s3/`` (Label Studio's paths): CRUD, ``validate``, ``{id}/sync`` (starts an import
job) and ``{id}/resolve?key=`` (a media object for the browser: redirect to a presigned URL, or
proxied). Storages are for managers; resolve is for every member of the project."""

from __future__ import annotations

from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from labelstudio.core.exceptions import ApplicationError, int_param
from labelstudio.core.ranges import RANGE_RE
from projects.access import MANAGERS, check_role, project_for, role_of
from projects.selectors import projects_managed_by
from tasks.importers.progress import import_status
from tasks.models import S3ImportStorage

from . import s3, services
from .resolve import storage_for
from .serializers import S3ImportStorageSerializer

#: storages are managed by the project's managers (``project_for(..., roles=MANAGERS, denied=DENIED)``)
DENIED = "only project managers manage storages"


def named(project_id):
    """The project id a storage request must send (400 without one); project_for checks it."""
    if project_id is None:
        raise ApplicationError("project is required", field="project")
    return project_id


class S3ImportStorageViewSet(viewsets.ModelViewSet):
    queryset = S3ImportStorage.objects.none()  # for the schema (typed ids); get_queryset() decides
    serializer_class = S3ImportStorageSerializer
    pagination_class = None  # Label Studio returns a plain list

    def get_queryset(self):
        user = self.request.user
        qs = S3ImportStorage.objects.select_related("project").order_by("id")
        if self.action != "resolve" and not user.is_superuser:
            qs = qs.filter(project__in=projects_managed_by(user))
        project = self.request.query_params.get("project")
        if project and self.action == "list":
            qs = qs.filter(project_id=project) if project.isdecimal() else qs.none()
        return qs

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        project_id = getattr(data.pop("project", None), "pk", None)
        project = project_for(self.request.user, named(project_id), roles=MANAGERS, denied=DENIED)
        serializer.instance = services.storage_create(project=project, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("project", None)
        serializer.instance = services.storage_update(storage=serializer.instance, **data)

    def perform_destroy(self, instance):
        services.storage_delete(storage=instance)

    @action(detail=False, methods=["post"])
    def validate(self, request):
        """Check a (possibly unsaved) storage can be listed; with ``id``, unsent fields come from it."""
        body = request.data if isinstance(request.data, dict) else {}
        storage_id = int_param(body.get("id"), "id")
        base = self.get_queryset().filter(pk=storage_id).first() if storage_id else None
        serializer = self.get_serializer(base, data=request.data, partial=base is not None)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        project = data.pop("project", None) or (base.project if base else None)
        project_for(request.user, named(getattr(project, "pk", None)), roles=MANAGERS, denied=DENIED)
        storage = base or S3ImportStorage(project=project)
        for name, value in data.items():
            setattr(storage, name, value)
        services.storage_validate(storage=storage)
        return Response({"ok": True})

    @action(detail=True, methods=["post"])
    def sync(self, request, pk=None):
        storage = self.get_object()
        job = services.storage_sync(storage=storage, created_by=request.user, options=request.data or None)
        body = {**self.get_serializer(storage).data, "import": job.pk, "job": import_status(job)}
        return Response(body, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"])
    def resolve(self, request, pk=None):
        storage = self.get_object()
        check_role(role_of(request.user, storage.project_id), missing="no such storage")  # any member
        key = request.query_params.get("key")
        if key is None:
            found, key = storage_for([storage], request.query_params.get("fileuri", ""))
            if found is None:
                raise ApplicationError("give ?key=<object key> or ?fileuri=s3://bucket/key of this storage")
        if not key.startswith(storage.prefix or ""):
            raise Http404("the key is outside this storage's prefix")
        if storage.presign:
            return HttpResponseRedirect(s3.presigned_url(storage, key))
        wanted = request.headers.get("Range")  # passed on: S3 answers ranges itself (video seeking needs 206)
        obj = s3.open_object(storage, key, wanted if wanted and RANGE_RE.match(wanted) else None)
        response = StreamingHttpResponse(
            obj["Body"].iter_chunks(256 * 1024),
            content_type=obj.get("ContentType") or "application/octet-stream",
            status=206 if obj.get("ContentRange") else 200,
        )
        response["Accept-Ranges"] = "bytes"
        if obj.get("ContentRange"):
            response["Content-Range"] = obj["ContentRange"]
        if obj.get("ContentLength") is not None:
            response["Content-Length"] = str(obj["ContentLength"])
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "sandbox"
        return response
