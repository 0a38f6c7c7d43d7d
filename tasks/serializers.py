"""Task payloads in Label Studio's task JSON shape."""

from rest_framework import serializers

from .models import Task


class TaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = [
            "id",
            "project",
            "data",
            "meta",
            "overlap",
            "is_labeled",
            "total_annotations",
            "cancelled_annotations",
            "total_predictions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "is_labeled",
            "total_annotations",
            "cancelled_annotations",
            "total_predictions",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"project": {"required": False}}

    def to_representation(self, instance):
        """Label Studio resolves storage URIs for clients: s3:// values of the project's storages
        become our resolve endpoint's URL (membership-checked). Costs a query only for such tasks."""
        from .storage.resolve import resolve_task_data

        out = super().to_representation(instance)
        out["data"] = resolve_task_data(instance.project, out["data"])
        return out
