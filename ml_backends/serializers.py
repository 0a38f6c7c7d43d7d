"""Payloads in Label Studio's shapes for /api/ml/, /api/predictions/.

Serializers only shape and type-check; services validate against the config and write.
"""

from rest_framework import serializers

from labelstudio.core.fields import FiniteFloatField, HeadersField
from projects.access import MANAGER, role_of

from .models import MLBackend, MLSettings, Prediction


class MLBackendSerializer(serializers.ModelSerializer):
    url = serializers.CharField(max_length=500)  # checked by core/net.check_url (allows "http://ml:9090")
    basic_auth_pass = serializers.CharField(write_only=True, required=False, allow_blank=True)
    basic_auth_pass_is_set = serializers.SerializerMethodField()
    extra_headers = HeadersField(write_only=True, required=False)
    extra_headers_set = serializers.SerializerMethodField(help_text="names of the extra headers (values are secret)")
    readable_state = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = MLBackend
        fields = [
            "id",
            "project",
            "url",
            "title",
            "description",
            "auth_method",
            "basic_auth_user",
            "basic_auth_pass",
            "basic_auth_pass_is_set",
            "extra_headers",
            "extra_headers_set",
            "extra_params",
            "is_interactive",
            "timeout",
            "send_completion_events",
            "train_every_n",
            "state",
            "readable_state",
            "error_message",
            "model_version",
            "last_checked_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["state", "error_message", "model_version", "last_checked_at", "created_at", "updated_at"]

    def get_basic_auth_pass_is_set(self, obj) -> bool:
        return bool(obj.basic_auth_pass)

    def get_extra_headers_set(self, obj) -> list[str]:
        """Header names, for managers only (annotators see the backend but none of its secrets)."""

        request = self.context.get("request")
        if request is None or role_of(request.user, obj.project) != MANAGER:
            return []
        return sorted(obj.extra_headers or {})


class PredictionSerializer(serializers.ModelSerializer):
    ml_backend_title = serializers.CharField(source="ml_backend.title", default=None, read_only=True)
    result = serializers.JSONField()
    score = FiniteFloatField(required=False, allow_null=True)

    class Meta:
        model = Prediction
        fields = [
            "id",
            "task",
            "project",
            "ml_backend",
            "ml_backend_title",
            "model_version",
            "score",
            "result",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["project", "ml_backend", "created_at", "updated_at"]


class PredictionUpdateSerializer(PredictionSerializer):
    class Meta(PredictionSerializer.Meta):
        read_only_fields = [*PredictionSerializer.Meta.read_only_fields, "task"]


class PrelabelRequestSerializer(serializers.Serializer):
    task_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=2**63 - 1), required=False, allow_null=True
    )
    batch_size = serializers.IntegerField(required=False, min_value=1, max_value=1000)
    concurrency = serializers.IntegerField(required=False, min_value=1, max_value=16)


class InteractiveSerializer(serializers.Serializer):
    task = serializers.IntegerField(min_value=0, max_value=2**63 - 1)
    context = serializers.JSONField(required=False, default=dict)


class ChatSerializer(serializers.Serializer):
    task = serializers.IntegerField(min_value=0, max_value=2**63 - 1)
    chat = serializers.CharField(max_length=200)
    messages = serializers.JSONField()


class MLSettingsSerializer(serializers.ModelSerializer):
    hitl_score_threshold = FiniteFloatField(required=False, allow_null=True)

    class Meta:
        model = MLSettings
        fields = ["project", "auto_prelabel", "prelabel_batch_size", "prelabel_concurrency", "hitl_score_threshold"]
        read_only_fields = ["project"]
