"""Completion, draft, review and assignment payloads, in Label Studio's field names."""

from __future__ import annotations

from rest_framework import serializers

from labelstudio.core.fields import FiniteFloatField
from tasks.serializers import TaskSerializer
from tasks.storage.resolve import resolve_task_data

from .models import Completion, Draft, QualitySettings, TaskAssignment

MAX_ID = 2**63 - 1  # a bigint: larger ids would reach the database and fail there


class CompletionSerializer(serializers.ModelSerializer):
    """Output shape of a completion (Label Studio's "annotation")."""

    parent_annotation = serializers.IntegerField(source="parent_completion_id", read_only=True)

    class Meta:
        model = Completion
        fields = [
            "id",
            "task",
            "project",
            "completed_by",
            "result",
            "was_cancelled",
            "ground_truth",
            "lead_time",
            "version",
            "review_status",
            "review_comment",
            "reviewed_by",
            "parent_completion",
            "parent_annotation",
            "parent_prediction",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


_datetime = serializers.DateTimeField()
_FK = {"task", "project", "completed_by", "reviewed_by", "parent_completion", "parent_prediction"}


def completion_json(completion: Completion) -> dict:
    """CompletionSerializer's output for one completion, built without DRF's per-call field setup
    (it runs on every submit); tests check both stay identical."""
    out = {}
    for name in CompletionSerializer.Meta.fields:
        if name in _FK:
            out[name] = getattr(completion, f"{name}_id")
        elif name == "parent_annotation":
            out[name] = completion.parent_completion_id
        elif name in ("created_at", "updated_at"):
            out[name] = _datetime.to_representation(getattr(completion, name))
        else:
            out[name] = getattr(completion, name)
    return out


def task_json(task) -> dict:
    """tasks.serializers.TaskSerializer's output for one task, built the same cheap way (the
    next-task payload)."""

    out = {}
    for name in TaskSerializer.Meta.fields:
        if name == "project":
            out[name] = task.project_id
        elif name == "data":  # s3:// media of the project's storages become loadable URLs
            out[name] = resolve_task_data(task.project_id, task.data)
        elif name in ("created_at", "updated_at"):
            out[name] = _datetime.to_representation(getattr(task, name))
        else:
            out[name] = getattr(task, name)
    return out


class CompletionCreateSerializer(serializers.Serializer):
    result = serializers.JSONField(default=list)
    was_cancelled = serializers.BooleanField(default=False)
    lead_time = FiniteFloatField(required=False, allow_null=True, min_value=0)
    ground_truth = serializers.BooleanField(default=False)
    draft_id = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=MAX_ID)
    parent_prediction = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=MAX_ID)


class CompletionUpdateSerializer(serializers.Serializer):
    result = serializers.JSONField(required=False)
    was_cancelled = serializers.BooleanField(required=False)
    lead_time = FiniteFloatField(required=False, allow_null=True, min_value=0)
    version = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=MAX_ID)


class ReviewSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["accept", "reject", "correct"])
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    result = serializers.JSONField(required=False)
    version = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=MAX_ID)


class GroundTruthSerializer(serializers.Serializer):
    value = serializers.BooleanField(default=True)


class DraftSerializer(serializers.ModelSerializer):
    lead_time = FiniteFloatField(required=False, allow_null=True, min_value=0)
    annotation = serializers.IntegerField(source="completion_id", required=False, allow_null=True)

    class Meta:
        model = Draft
        fields = ["id", "task", "project", "user", "annotation", "result", "lead_time", "created_at", "updated_at"]
        read_only_fields = ["id", "task", "project", "user", "created_at", "updated_at"]


class AssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskAssignment
        fields = ["id", "task", "user", "assigned_by", "created_at"]
        read_only_fields = fields


class AssignmentChangeSerializer(serializers.Serializer):
    users = serializers.ListField(child=serializers.IntegerField(min_value=0, max_value=MAX_ID), allow_empty=False)
    tasks = serializers.ListField(child=serializers.IntegerField(min_value=0, max_value=MAX_ID), allow_empty=False)


class AssignmentRemoveSerializer(serializers.Serializer):
    users = serializers.ListField(child=serializers.IntegerField(min_value=0, max_value=MAX_ID), required=False)
    tasks = serializers.ListField(child=serializers.IntegerField(min_value=0, max_value=MAX_ID), required=False)


class QualitySettingsSerializer(serializers.ModelSerializer):
    honeypot_share = FiniteFloatField(required=False, min_value=0.0, max_value=1.0)

    class Meta:
        model = QualitySettings
        fields = ["honeypot_share", "updated_at"]
        read_only_fields = ["updated_at"]


def next_task_json(task, parts) -> dict:
    """Label Studio's task JSON for the labeling page: the task, the current model version's
    predictions, the user's draft and earlier completion (``selectors.labeling_parts``)."""
    data = task_json(task)
    data["predictions"] = [
        {
            "id": p.pk,
            "task": task.pk,
            "model_version": p.model_version,
            "score": p.score,
            "result": p.result,
            "created_at": p.created_at,
        }
        for p in parts.predictions
    ]
    draft = parts.draft
    data["drafts"] = (
        [{"id": draft.pk, "result": draft.result, "lead_time": draft.lead_time, "updated_at": draft.updated_at}]
        if draft
        else []
    )
    own = parts.own
    data["annotations"] = (
        [
            {
                "id": own.pk,
                "result": own.result,
                "was_cancelled": own.was_cancelled,
                "version": own.version,
                "review_status": own.review_status,
                "review_comment": own.review_comment,
                "updated_at": own.updated_at,
            }
        ]
        if own
        else []
    )
    data["rejected"] = bool(own and own.review_status == Completion.Review.REJECTED)
    return data
