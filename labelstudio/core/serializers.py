from rest_framework import serializers

from .jobs import job_progress
from .models import Job


class JobSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField()
    created_by = serializers.CharField(source="created_by.username", default=None, read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "project",
            "kind",
            "status",
            "progress",
            "params",
            "result",
            "error",
            "errors",
            "result_file",
            "attempts",
            "heartbeat_at",
            "cancel_requested",
            "requeues",
            "attempt_log",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def to_representation(self, obj):
        """Job parameters (file names, storage and export options, filters) are for the project's
        managers and the job's creator; other members see that a job runs, not how."""
        data = super().to_representation(obj)
        request = self.context.get("request")
        if request is not None and not _may_see_params(request.user, obj):
            data["params"] = {}
        return data

    def get_progress(self, obj) -> dict:
        done, total = job_progress(obj)
        return {"done": done, "total": total}


def _may_see_params(user, job) -> bool:
    # cross-app import (a listed exception in pyproject.toml): a job's params are shown by project role
    from projects.access import MANAGER, role_of

    if job.created_by_id == user.pk:
        return True
    return job.project_id is not None and role_of(user, job.project_id) == MANAGER
