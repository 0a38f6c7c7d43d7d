"""/api/webhooks/ in Label Studio's shape."""

from rest_framework import serializers

from labelstudio.core.fields import HeadersField

from .models import Webhook


class WebhookSerializer(serializers.ModelSerializer):
    """``actions`` is Label Studio's name for the event list; empty = all events."""

    url = serializers.CharField(max_length=2000)
    actions = serializers.ListField(child=serializers.CharField(), source="events", required=False)
    send_for_all_actions = serializers.SerializerMethodField()
    headers = HeadersField(write_only=True, required=False)
    headers_set = serializers.SerializerMethodField(help_text="names of the headers sent (values are secret)")

    class Meta:
        model = Webhook
        fields = [
            "id",
            "project",
            "url",
            "actions",
            "send_for_all_actions",
            "send_payload",
            "headers",
            "headers_set",
            "is_active",
            "last_status",
            "last_delivered_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["last_status", "last_delivered_at", "created_at", "updated_at"]

    def get_send_for_all_actions(self, obj) -> bool:
        return not obj.events

    def to_internal_value(self, data):
        """Label Studio's ``send_for_all_actions: true`` means every event: an empty list here."""
        out = super().to_internal_value(data)
        if hasattr(data, "get") and data.get("send_for_all_actions") in (True, "true", "True"):
            out["events"] = []
        return out

    def get_headers_set(self, obj) -> list[str]:
        return sorted(obj.headers or {})
