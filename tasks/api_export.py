"""Export endpoints on Label Studio's paths, so its SDK and UI clients work:

- ``GET  /api/projects/{id}/export/formats``              formats for this config (LS shape)
- ``GET  /api/projects/{id}/export?exportType=JSON``       direct streaming download
- ``GET|POST /api/projects/{id}/exports/``                 export jobs (a plain list, as LS returns)
- ``GET|DELETE /api/projects/{id}/exports/{export_id}``    status, progress, counters
- ``GET  /api/projects/{id}/exports/{export_id}/download`` the file (``?exportType=`` a conversion)
- ``POST /api/projects/{id}/exports/{export_id}/convert``  JSON snapshot -> another format
- ``/api/projects/{id}/export-schedules/`` CRUD, ``/{sid}/run``, ``/{sid}/jobs``

Managers create, delete and run; reviewers read and download; annotators get 403; non-members 404.
Payloads: tasks/serializers.py (``export_data``, ``ScheduleSerializer``); routes: tasks/urls.py.
"""

from __future__ import annotations

from django.http import FileResponse, StreamingHttpResponse
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from labelstudio.core.models import Job
from projects.access import MANAGERS
from projects.permissions import ProjectStaff

from .exporters import registry, schedules, selectors, services
from .exporters.schema import Schema
from .models import ExportSchedule
from .serializers import ScheduleSerializer, export_data

IGNORED_BODY_KEYS = {"id", "converted_formats", "counters", "created_by", "created_at", "finished_at", "md5", "status"}


class ExportAPIView(APIView):
    """Exports and schedules of the project in the URL: managers and reviewers read (GET),
    managers write (``self.project``; projects/permissions.py)."""

    permission_classes = [IsAuthenticated, ProjectStaff]
    write_roles = MANAGERS
    denied = "only project managers and reviewers read exports"
    write_denied = "only project managers manage exports"


def _body(request) -> dict:
    """The JSON object a POST sends (a list or a scalar is a 400, not an AttributeError)."""
    if not isinstance(request.data, dict):
        raise serializers.ValidationError({"detail": "send a JSON object", "field": "(body)"})
    return request.data


def _options_from(data, *, skip: set[str]) -> dict:
    """Options given nested (``options``), flat, or as Label Studio's option objects."""
    if not isinstance(data.get("options") or {}, dict):
        raise serializers.ValidationError({"detail": "options must be an object", "field": "options"})
    options = dict(data.get("options") or {})
    for key, value in data.items():
        if key in skip or key in IGNORED_BODY_KEYS or key == "options":
            continue
        options[key] = value
    return options


class ExportFormats(ExportAPIView):
    def get(self, request, pk):
        project = self.project
        return Response(registry.formats_for(Schema.from_text(project.label_config)))


class ExportDirect(ExportAPIView):
    """Stream the export while it is written (small projects, Label Studio's community clients)."""

    def get(self, request, pk):
        project = self.project
        query = request.query_params
        format_name = query.get("exportType") or query.get("export_type") or "JSON"
        options = {}
        for key in query:
            if key in ("exportType", "export_type", "download_resources"):
                continue
            values = query.getlist(key)
            name = key.removesuffix("[]")
            if name in ("ids", "task_ids", "annotator_ids"):  # ids[]=1&ids[]=2 or ids=1,2
                options[name] = [v for item in values for v in item.split(",") if v.strip()]
            else:
                options[name] = values[-1]
        fmt, _ = registry.resolve(format_name)
        if str(query.get("download_resources", "")).lower() in ("1", "true") and fmt.media_kind:
            options["include_images"] = True
        options.setdefault("download_all_tasks", "false")
        name, content_type, chunks = services.export_stream(project=project, format=format_name, options=options)
        response = StreamingHttpResponse(chunks, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ExportListCreate(ExportAPIView):
    def get(self, request, pk):
        project = self.project
        return Response([export_data(job) for job in selectors.export_list(project)])

    def post(self, request, pk):
        project = self.project
        data = _body(request)
        format_name = data.get("exportType") or data.get("export_type") or data.get("format") or "JSON"
        options = _options_from(data, skip={"exportType", "export_type", "format", "title"})
        job = services.export_create(
            project=project,
            created_by=request.user,
            format=format_name,
            options=options,
            title=str(data.get("title") or ""),
        )
        job.refresh_from_db()
        return Response(export_data(job), status=status.HTTP_201_CREATED)


def _export_or_404(project, export_id) -> Job:
    job = selectors.export_get(project, export_id)
    if job is None:
        raise NotFound("no such export")
    return job


class ExportDetail(ExportAPIView):
    def get(self, request, pk, export_id):
        return Response(export_data(_export_or_404(self.project, export_id)))

    def delete(self, request, pk, export_id):
        job = _export_or_404(self.project, export_id)
        services.export_delete(job=job)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExportDownload(ExportAPIView):
    def get(self, request, pk, export_id):
        job = _export_or_404(self.project, export_id)
        export_type = request.query_params.get("exportType") or request.query_params.get("export_type")
        path, name = services.export_file(job, export_type)
        return FileResponse(open(path, "rb"), as_attachment=True, filename=name)  # noqa: SIM115


class ExportConvert(ExportAPIView):
    def post(self, request, pk, export_id):
        project = self.project
        job = _export_or_404(project, export_id)
        body = _body(request)
        export_type = body.get("export_type") or body.get("exportType")
        if not export_type:
            raise serializers.ValidationError({"export_type": "required"})
        converted = services.export_convert(job=job, format=export_type, created_by=request.user)
        return Response({"converted_format": converted.pk, "export_type": export_type.upper()})


class ScheduleListCreate(ExportAPIView):
    def get(self, request, pk):
        project = self.project
        return Response(ScheduleSerializer(selectors.schedule_list(project), many=True).data)

    def post(self, request, pk):
        project = self.project
        serializer = ScheduleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        schedule = schedules.schedule_create(project=project, created_by=request.user, **serializer.validated_data)
        return Response(ScheduleSerializer(schedule).data, status=status.HTTP_201_CREATED)


def _schedule_or_404(project, schedule_id) -> ExportSchedule:
    schedule = selectors.schedule_list(project).filter(pk=schedule_id).first()
    if schedule is None:
        raise NotFound("no such export schedule")
    return schedule


class ScheduleDetail(ExportAPIView):
    def get(self, request, pk, schedule_id):
        return Response(ScheduleSerializer(_schedule_or_404(self.project, schedule_id)).data)

    def patch(self, request, pk, schedule_id):
        schedule = _schedule_or_404(self.project, schedule_id)
        serializer = ScheduleSerializer(schedule, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        schedule = schedules.schedule_update(schedule=schedule, **serializer.validated_data)
        return Response(ScheduleSerializer(schedule).data)

    put = patch

    def delete(self, request, pk, schedule_id):
        schedules.schedule_delete(schedule=_schedule_or_404(self.project, schedule_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ScheduleRun(ExportAPIView):
    def post(self, request, pk, schedule_id):
        schedule = _schedule_or_404(self.project, schedule_id)
        job = schedules.schedule_run(schedule=schedule, created_by=request.user)
        if job is None:
            return Response({"detail": "a run of this schedule is still unfinished"}, status=status.HTTP_409_CONFLICT)
        job.refresh_from_db()
        return Response(export_data(job), status=status.HTTP_201_CREATED)


class ScheduleJobs(ExportAPIView):
    def get(self, request, pk, schedule_id):
        schedule = _schedule_or_404(self.project, schedule_id)
        return Response([export_data(job) for job in schedules.schedule_jobs(schedule)[:100]])
