"""Project payloads in Label Studio's field names. Writes go through projects.services."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import serializers

from .ls_fields import NEUTRAL, check_ls_fields
from .models import Membership, Project
from .services import EDITABLE_FIELDS

COUNTER_FIELDS = ("task_number", "num_tasks_with_annotations", "finished_task_number", "skipped_task_number")
# Label Studio's other project counters (projects.selectors.project_counters)
LS_COUNTS = (
    "total_annotations_number",
    "skipped_annotations_number",
    "total_predictions_number",
    "useful_annotation_number",
    "ground_truth_number",
)


class UserBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = get_user_model()
        fields = ["id", "username", "email", "first_name", "last_name"]


class ProjectSerializer(serializers.ModelSerializer):
    created_by = UserBriefSerializer(read_only=True)
    task_number = serializers.SerializerMethodField()
    num_tasks_with_annotations = serializers.SerializerMethodField()
    finished_task_number = serializers.SerializerMethodField()
    skipped_task_number = serializers.SerializerMethodField()
    label_config_version = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        help_text="send the version you loaded with a changed label_config: a stale one gets 409",
    )

    class Meta:
        model = Project
        fields = [
            "id",
            *EDITABLE_FIELDS,
            "label_config",
            "label_config_version",
            "parsed_label_config",
            "created_by",
            "created_at",
            "updated_at",
            *COUNTER_FIELDS,
        ]
        read_only_fields = ["parsed_label_config", "created_at", "updated_at"]
        extra_kwargs = {"label_config": {"required": False}, "title": {"required": False}}

    def to_internal_value(self, data):
        """Label Studio's fields we have no column for: accepted when they describe what we do,
        refused with a 400 naming them otherwise (projects.ls_fields)."""
        if hasattr(data, "keys"):
            check_ls_fields(data)
        return super().to_internal_value(data)

    def to_representation(self, instance):
        out = super().to_representation(instance)
        for name, value in NEUTRAL.items():
            out.setdefault(name, value)
        counters = self.context.get("counters", {}).get(instance.pk) or {}
        for name in LS_COUNTS:
            out[name] = counters.get(name, 0) if counters else None
        return out

    def _counter(self, obj, name):
        counters = self.context.get("counters", {}).get(obj.pk)
        return counters.get(name, 0) if counters else None

    def get_task_number(self, obj) -> int | None:
        return self._counter(obj, "task_number")

    def get_num_tasks_with_annotations(self, obj) -> int | None:
        return self._counter(obj, "num_tasks_with_annotations")

    def get_finished_task_number(self, obj) -> int | None:
        return self._counter(obj, "finished_task_number")

    def get_skipped_task_number(self, obj) -> int | None:
        return self._counter(obj, "skipped_task_number")


class ConfigValidateSerializer(serializers.Serializer):
    label_config = serializers.CharField()


class MembershipSerializer(serializers.ModelSerializer):
    user = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all())
    user_detail = UserBriefSerializer(source="user", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "user_detail", "role", "created_at"]
