"""Task payloads in Label Studio's task JSON shape; export jobs and export schedules in Label
Studio's export shapes."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from rest_framework import serializers

from labelstudio.core.fields import FiniteFloatField
from labelstudio.core.jobs import job_progress
from labelstudio.core.models import Job

from .exporters import schedules, services
from .models import COUNTER_FIELDS, ExportSchedule, Task


class TaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = [
            "id",
            "project",
            "data",
            "meta",
            "overlap",
            *COUNTER_FIELDS,
            "created_at",
            "updated_at",
        ]
        read_only_fields = [*COUNTER_FIELDS, "created_at", "updated_at"]
        extra_kwargs = {"project": {"required": False}}

    def to_representation(self, instance):
        """Label Studio resolves storage URIs for clients: s3:// values of the project's storages
        become our resolve endpoint's URL (membership-checked). Costs a query only for such tasks,
        once per project per response."""
        from .storage.resolve import resolve_task_data

        out = super().to_representation(instance)
        out["data"] = resolve_task_data(instance.project_id, out["data"], self.context.setdefault("_storages", {}))
        related = self.context.get("related")
        if related is not None:  # annotations, predictions, drafts (tasks.related)
            out.update(related.get(instance.pk, {}))
        return out


# --- exports (tasks/api_export.py) ------------------------------------------------------------
LS_STATUS = {
    "queued": "created",
    "running": "in_progress",
    "succeeded": "completed",
    "failed": "failed",
    "cancelled": "failed",
}


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
    """An export job in Label Studio's export shape, with our progress, warnings and expiry."""
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


class ScheduleSerializer(serializers.ModelSerializer):
    interval_hours = FiniteFloatField(required=False, allow_null=True)
    next_run_at = serializers.SerializerMethodField()
    last_job = serializers.SerializerMethodField()

    class Meta:
        model = ExportSchedule
        fields = [
            "id",
            "project",
            *schedules.FIELDS,
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
