"""``/api/storages/s3/`` payloads in Label Studio's field names; secrets are write-only."""

from rest_framework import serializers

from tasks.models import S3ImportStorage

from .services import FIELDS


class NullMeansUnset:
    """Label Studio's clients send ``null`` for settings they leave alone (the legacy client's
    ``regex_filter=None``, ``description=None``): treat them as not sent."""

    def to_internal_value(self, data):
        if hasattr(data, "items"):
            data = {k: v for k, v in data.items() if v is not None}
        return super().to_internal_value(data)


class S3ImportStorageSerializer(NullMeansUnset, serializers.ModelSerializer):
    type = serializers.SerializerMethodField()

    class Meta:
        model = S3ImportStorage
        fields = [
            "id",
            "type",
            "project",
            *FIELDS,
            "last_sync",
            "last_sync_count",
            "last_sync_job",
            "created_at",
        ]
        read_only_fields = ["id", "type", "last_sync", "last_sync_count", "last_sync_job", "created_at"]
        extra_kwargs = {
            "aws_secret_access_key": {"write_only": True},
            "aws_session_token": {"write_only": True},
            "project": {"required": False},
        }

    def get_type(self, obj) -> str:
        return "s3"
