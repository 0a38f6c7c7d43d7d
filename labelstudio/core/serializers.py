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

    def get_progress(self, obj) -> dict:
        done, total = job_progress(obj)
        return {"done": done, "total": total}
