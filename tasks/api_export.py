"""Export endpoints on Label Studio's paths, so its SDK and UI clients work:

- ``GET  /api/projects/{id}/export/formats``              formats for this config (LS shape)
- ``GET  /api/projects/{id}/export?exportType=JSON``       direct streaming download
- ``GET|POST /api/projects/{id}/exports/``                 export jobs (a plain list, as LS returns)
- ``GET|DELETE /api/projects/{id}/exports/{export_id}``    status, progress, counters
- ``GET  /api/projects/{id}/exports/{export_id}/download`` the file (``?exportType=`` a conversion)
- ``POST /api/projects/{id}/exports/{export_id}/convert``  JSON snapshot -> another format
- ``/api/projects/{id}/export-schedules/`` CRUD, ``/{sid}/run``, ``/{sid}/jobs``

Managers create, delete and run; reviewers read and download; annotators get 403; non-members 404.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse
from django.urls import re_path
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from labelstudio.core.fields import FiniteFloatField
from labelstudio.core.jobs import job_progress
from labelstudio.core.models import Job
from projects.permissions import MANAGER, REVIEWER, role_of

from .api import project_or_404
from .exporters import registry, schedules, selectors, services
from .exporters.schema import Schema
from .models import ExportSchedule

LS_STATUS = {
    "queued": "created",
    "running": "in_progress",
    "succeeded": "completed",
    "failed": "failed",
    "cancelled": "failed",
}
IGNORED_BODY_KEYS = {"id", "converted_formats", "counters", "created_by", "created_at", "finished_at", "md5", "status"}


def project_for(request, pk, *, write: bool = False):
    """The project if the user may read (manager/reviewer) or write (manager) its exports."""
    project = project_or_404(request.user, pk)
    role = role_of(request.user, project)
    if write and role != MANAGER:
        raise PermissionDenied("only project managers manage exports")
    if role not in (MANAGER, REVIEWER):
        raise PermissionDenied("only project managers and reviewers read exports")
    return project


def _user(user) -> dict | None:
    if user is None:
        return None
    return {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "avatar": "",
    }


def _state(job: Job, result: dict) -> str:
    """The job's status as people read it: "completed with warnings" when something (a media
    file, a region) could not be included."""
    if job.status == Job.Status.SUCCEEDED and result.get("warning_count"):
        return "completed with warnings"
    return job.status


def export_data(job: Job) -> dict:
    done, total = job_progress(job)
    params, result = job.params, job.result or {}
    own = {
        "id": job.pk,
        "export_type": params.get("requested_format") or params.get("format"),
        "status": LS_STATUS[job.status],
        "traceback": job.error or None,
    }
    converted = [
        {
            "id": c.pk,
            "export_type": c.params.get("requested_format") or c.params.get("format"),
            "status": LS_STATUS[c.status],
            "traceback": c.error or None,
        }
        for c in services.conversions_of(job)
    ]
    has_file = job.status == Job.Status.SUCCEEDED and bool(job.result_file)
    return {
        "id": job.pk,
        "title": params.get("title") or f"{params.get('format')} export {job.pk}",
        "status": LS_STATUS[job.status],
        "job_status": job.status,
        "format": params.get("format"),
        "exportType": params.get("requested_format") or params.get("format"),
        "options": params.get("options", {}),
        "schedule": params.get("schedule_id"),
        "progress": {"done": done, "total": total},
        "counters": {
            "task_number": result.get("tasks", 0),
            "annotation_number": result.get("completions", 0),
            "prediction_number": result.get("predictions", 0),
        },
        "md5": result.get("md5"),
        "size": result.get("size"),
        "file_name": result.get("file_name"),
        "error": job.error or None,
        "warnings": result.get("warnings", []),
        "warning_count": result.get("warning_count", 0),
        # Label Studio's ``status`` stays "completed" for its clients; this says what was left out
        "completed_with_warnings": job.status == Job.Status.SUCCEEDED and bool(result.get("warning_count")),
        "state": _state(job, result),
        "delivered_to": result.get("delivered_to"),
        "created_by": _user(job.created_by),
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "expires_at": job.finished_at + timedelta(days=settings.EXPORT_FILE_TTL_DAYS) if has_file else None,
        "download_url": f"/api/projects/{job.project_id}/exports/{job.pk}/download" if has_file else None,
        "converted_formats": [own, *converted],
    }


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


class ExportFormats(APIView):
    def get(self, request, pk):
        project = project_for(request, pk)
        return Response(registry.formats_for(Schema.from_text(project.label_config)))


class ExportDirect(APIView):
    """Stream the export while it is written (small projects, Label Studio's community clients)."""

    def get(self, request, pk):
        project = project_for(request, pk)
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


class ExportListCreate(APIView):
    def get(self, request, pk):
        project = project_for(request, pk)
        return Response([export_data(job) for job in selectors.export_list(project)])

    def post(self, request, pk):
        project = project_for(request, pk, write=True)
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


class ExportDetail(APIView):
    def get(self, request, pk, export_id):
        return Response(export_data(_export_or_404(project_for(request, pk), export_id)))

    def delete(self, request, pk, export_id):
        job = _export_or_404(project_for(request, pk, write=True), export_id)
        services.export_delete(job=job)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExportDownload(APIView):
    def get(self, request, pk, export_id):
        job = _export_or_404(project_for(request, pk), export_id)
        export_type = request.query_params.get("exportType") or request.query_params.get("export_type")
        path, name = services.export_file(job, export_type)
        return FileResponse(open(path, "rb"), as_attachment=True, filename=name)  # noqa: SIM115


class ExportConvert(APIView):
    def post(self, request, pk, export_id):
        project = project_for(request, pk, write=True)
        job = _export_or_404(project, export_id)
        body = _body(request)
        export_type = body.get("export_type") or body.get("exportType")
        if not export_type:
            raise serializers.ValidationError({"export_type": "required"})
        converted = services.export_convert(job=job, format=export_type, created_by=request.user)
        return Response({"converted_format": converted.pk, "export_type": export_type.upper()})


# --- schedules -------------------------------------------------------------------------------
class ScheduleSerializer(serializers.ModelSerializer):
    interval_hours = FiniteFloatField(required=False, allow_null=True)
    next_run_at = serializers.SerializerMethodField()
    last_job = serializers.SerializerMethodField()

    class Meta:
        model = ExportSchedule
        fields = [
            "id",
            "project",
            "title",
            "format",
            "options",
            "cron",
            "interval_hours",
            "only_changed",
            "target",
            "local_path",
            "s3_bucket",
            "s3_prefix",
            "s3_endpoint",
            "s3_region",
            "aws_access_key_id",
            "aws_secret_access_key",
            "enabled",
            "last_run_at",
            "last_job",
            "next_run_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "project", "last_run_at", "last_job", "next_run_at", "created_at", "updated_at"]
        extra_kwargs = {"aws_secret_access_key": {"write_only": True}}

    def get_next_run_at(self, obj) -> str | None:
        return schedules.schedule_next_runs(obj)

    def get_last_job(self, obj) -> dict | None:
        return export_data(obj.last_job) if obj.last_job_id else None


class ScheduleListCreate(APIView):
    def get(self, request, pk):
        project = project_for(request, pk)
        return Response(ScheduleSerializer(selectors.schedule_list(project), many=True).data)

    def post(self, request, pk):
        project = project_for(request, pk, write=True)
        serializer = ScheduleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        schedule = schedules.schedule_create(project=project, created_by=request.user, **serializer.validated_data)
        return Response(ScheduleSerializer(schedule).data, status=status.HTTP_201_CREATED)


def _schedule_or_404(project, schedule_id) -> ExportSchedule:
    schedule = selectors.schedule_list(project).filter(pk=schedule_id).first()
    if schedule is None:
        raise NotFound("no such export schedule")
    return schedule


class ScheduleDetail(APIView):
    def get(self, request, pk, schedule_id):
        return Response(ScheduleSerializer(_schedule_or_404(project_for(request, pk), schedule_id)).data)

    def patch(self, request, pk, schedule_id):
        schedule = _schedule_or_404(project_for(request, pk, write=True), schedule_id)
        serializer = ScheduleSerializer(schedule, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        schedule = schedules.schedule_update(schedule=schedule, **serializer.validated_data)
        return Response(ScheduleSerializer(schedule).data)

    put = patch

    def delete(self, request, pk, schedule_id):
        schedules.schedule_delete(schedule=_schedule_or_404(project_for(request, pk, write=True), schedule_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ScheduleRun(APIView):
    def post(self, request, pk, schedule_id):
        schedule = _schedule_or_404(project_for(request, pk, write=True), schedule_id)
        job = schedules.schedule_run(schedule=schedule, created_by=request.user)
        if job is None:
            return Response({"detail": "a run of this schedule is still unfinished"}, status=status.HTTP_409_CONFLICT)
        job.refresh_from_db()
        return Response(export_data(job), status=status.HTTP_201_CREATED)


class ScheduleJobs(APIView):
    def get(self, request, pk, schedule_id):
        schedule = _schedule_or_404(project_for(request, pk), schedule_id)
        return Response([export_data(job) for job in schedules.schedule_jobs(schedule)[:100]])


def _route(suffix: str, view, name: str):
    """Label Studio's paths with or without the trailing slash."""
    return re_path(rf"^projects/(?P<pk>\d+)/{suffix}/?$", view.as_view(), name=name)


urlpatterns = [
    _route("export/formats", ExportFormats, "project-export-formats"),
    _route("export", ExportDirect, "project-export"),
    _route("exports", ExportListCreate, "project-exports"),
    _route(r"exports/(?P<export_id>\d+)", ExportDetail, "project-export-detail"),
    _route(r"exports/(?P<export_id>\d+)/download", ExportDownload, "project-export-download"),
    _route(r"exports/(?P<export_id>\d+)/convert", ExportConvert, "project-export-convert"),
    _route("export-schedules", ScheduleListCreate, "project-export-schedules"),
    _route(r"export-schedules/(?P<schedule_id>\d+)", ScheduleDetail, "project-export-schedule-detail"),
    _route(r"export-schedules/(?P<schedule_id>\d+)/run", ScheduleRun, "project-export-schedule-run"),
    _route(r"export-schedules/(?P<schedule_id>\d+)/jobs", ScheduleJobs, "project-export-schedule-jobs"),
]
