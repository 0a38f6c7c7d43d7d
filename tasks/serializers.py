"""Task payloads in Label Studio's task JSON shape."""

from rest_framework import serializers

from .models import COUNTER_FIELDS, Task


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
