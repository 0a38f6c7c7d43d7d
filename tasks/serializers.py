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
