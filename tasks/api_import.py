"""Import endpoints on Label Studio's paths. Thin: they store the request's input through the
import service, which creates a job; the response comes back at once with the job's id.

- ``POST /api/projects/{id}/import``: multipart files, a JSON body (a list of tasks or one task),
  or ``{"url": ...}``; options in the query or the body (docs/import.md). Inputs up to
  ``IMPORT_INLINE_MAX_BYTES`` are imported before the response, bigger ones by the worker.
- ``GET /api/projects/{id}/imports`` and ``/imports/{job_id}``: status, progress, counts, errors;
  ``POST .../imports/{job_id}/retry`` runs a failed or interrupted import again.
- ``GET /data/upload/{project}/{path}``: an uploaded media file, for project members.
"""

from __future__ import annotations

import json
import mimetypes

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.http import Http404
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from labelstudio.core.exceptions import ApplicationError, ConflictError
from labelstudio.core.jobs import job_retry, job_run
from labelstudio.core.models import Job
from labelstudio.core.ranges import ranged_file_response
from projects.access import check_role, role_of
from projects.permissions import ProjectManager

from .importers.files import detect_format, uploaded_file
from .importers.options import human_bytes
from .importers.progress import import_status
from .importers.services import import_job_create, import_run

SMALL_BODY = 1024 * 1024


class UploadLimit(FileUploadHandler):
    """Stops a multipart upload as soon as a file passes the size limit or the count the file limit."""

    def __init__(self, request=None):
        super().__init__(request)
        self.count = self.size = 0

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.count += 1
        self.size = 0
        if self.count > settings.IMPORT_MAX_FILES:
            raise ApplicationError(
                f"more than {settings.IMPORT_MAX_FILES} files in one import, the limit", field="files"
            )

    def receive_data_chunk(self, raw_data, start):
        self.size += len(raw_data)
        if self.size > settings.IMPORT_MAX_FILE_BYTES:
            raise ApplicationError(
                f"file is more than the limit of {human_bytes(settings.IMPORT_MAX_FILE_BYTES)}",
                file=self.file_name,
                status_code=413,
            )
        return raw_data

    def file_complete(self, file_size):
        return None


class LimitedBody:
    """The raw request body as a file, refusing to read past the file-size limit."""

    def __init__(self, stream, first: bytes = b""):
        self.stream, self.first, self.size = stream, first, 0

    def read(self, n: int = -1) -> bytes:
        if self.first:
            chunk, self.first = self.first, b""
        else:
            chunk = self.stream.read(n if n and n > 0 else 1024 * 1024)
        self.size += len(chunk)
        if self.size > settings.IMPORT_MAX_FILE_BYTES:
            raise ApplicationError(
                f"the request body is more than the limit of {human_bytes(settings.IMPORT_MAX_FILE_BYTES)}",
                status_code=413,
            )
        return chunk


class ManagedImports(APIView):
    """Imports are the project's managers' business."""

    permission_classes = [IsAuthenticated, ProjectManager]
    denied = "only project managers import data"


class ProjectImport(ManagedImports):
    def initialize_request(self, request, *args, **kwargs):
        request.upload_handlers.insert(0, UploadLimit(request))  # before anything parses the body
        return super().initialize_request(request, *args, **kwargs)

    def post(self, request, pk):
        project = self.project
        options = request.query_params.dict()
        if request.content_type.startswith(("multipart/", "application/x-www-form-urlencoded")):
            files = [f for key in request.FILES for f in request.FILES.getlist(key)]
            options.update({k: v for k, v in request.data.items() if k not in request.FILES})
            url = options.pop("url", None)
            inline = bool(files) and not url and sum(f.size or 0 for f in files) <= settings.IMPORT_INLINE_MAX_BYTES
            job = import_job_create(
                project=project,
                created_by=request.user,
                files=files or None,
                url=url,
                options=options,
                enqueue=not inline,
            )
        elif request.content_type.startswith("application/json"):
            job, inline = self._json_body(request, project, options)
        else:
            raise ApplicationError(
                'send task files as multipart/form-data, tasks as a JSON body, or {"url": "..."}', status_code=415
            )
        if not inline:
            return Response({"import": job.pk, "job": import_status(job)}, status=status.HTTP_201_CREATED)
        # Small inputs are imported within the request, as Label Studio does: clients that import
        # and then list tasks see them. Same job, same code; it takes milliseconds.
        job_run(job.pk, import_run)
        job.refresh_from_db()
        counts = {k: job.result.get(k, 0) for k in ("task_count", "annotation_count", "prediction_count", "duration")}
        with_ids = request.query_params.get("return_task_ids") in ("1", "true", "True")
        body = {**counts, "import": job.pk, "job": import_status(job, with_task_ids=with_ids)}
        if with_ids:  # Label Studio's ?return_task_ids=1
            body["task_ids"] = body["job"]["task_ids"]
        return Response(body, status=status.HTTP_201_CREATED)

    def _json_body(self, request, project, options) -> tuple[Job, bool]:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > settings.IMPORT_MAX_FILE_BYTES:
            raise ApplicationError(
                f"the request body is more than the limit of {human_bytes(settings.IMPORT_MAX_FILE_BYTES)}",
                status_code=413,
            )
        stream = request.stream
        if stream is None:
            raise ApplicationError("the request body is empty; send a JSON list of tasks")
        first = stream.read(SMALL_BODY) if 0 < length <= SMALL_BODY else b""
        if first:
            try:
                body = json.loads(first)
            except ValueError:
                body = None  # the import reports where the JSON is broken
            if isinstance(body, dict) and isinstance(body.get("url"), str) and "data" not in body:
                options.update({k: v for k, v in body.items() if k != "url"})
                return import_job_create(
                    project=project, created_by=request.user, url=body["url"], options=options
                ), False
        inline = 0 < length <= settings.IMPORT_INLINE_MAX_BYTES
        job = import_job_create(
            project=project,
            created_by=request.user,
            options=options,
            enqueue=not inline,
            files=[("tasks.json", LimitedBody(stream, first))],
        )
        return job, inline


def _import_job(project, job_pk) -> Job:
    job = Job.objects.filter(pk=job_pk, project=project, kind=Job.Kind.IMPORT).first()
    if job is None:
        raise Http404("no such import")
    return job


class ProjectImportList(ManagedImports):
    def get(self, request, pk):
        jobs = Job.objects.filter(project=self.project, kind=Job.Kind.IMPORT).order_by("-id")[:100]
        return Response([import_status(job) for job in jobs])


class ProjectImportDetail(ManagedImports):
    def get(self, request, pk, job_pk):
        return Response(import_status(_import_job(self.project, job_pk), with_task_ids=True))


class ProjectImportRetry(ManagedImports):
    def post(self, request, pk, job_pk):
        from .celery_tasks import run_import

        job = _import_job(self.project, job_pk)
        if job.status == Job.Status.SUCCEEDED:
            raise ConflictError("this import succeeded; there is nothing to retry")
        if job.status == Job.Status.QUEUED:
            raise ConflictError("this import is queued and will run")
        return Response(import_status(job_retry(job=job, celery_task=run_import)))


class UploadedFile(APIView):
    """A media file stored by an import. HTML and SVG are sandboxed: they come from users."""

    def get(self, request, project_pk, path):
        check_role(role_of(request.user, project_pk), missing="no such file")  # any member
        fmt = detect_format(path) or ""
        stored = uploaded_file(project_pk, path) if fmt.startswith("media:") or fmt in ("txt", "csv", "tsv") else None
        if stored is None:
            raise Http404("no such file")
        content_type = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
        response = ranged_file_response(request, stored.open("rb"), content_type)  # 206 for seeking media
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "sandbox"
        response["Cache-Control"] = "private, max-age=3600"
        return response
