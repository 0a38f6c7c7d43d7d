"""Saved-label payloads in Label Studio's shapes (labels_manager). Writes go through
projects.services."""

from __future__ import annotations

from rest_framework import serializers

from .models import Label, LabelLink

LABEL_FIELDS = [
    "id",
    "created_at",
    "updated_at",
    "created_by",
    "organization",
    "title",
    "value",
    "description",
    "approved",
    "approved_by",
]


class LabelSerializer(serializers.ModelSerializer):
    links = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Label
        fields = [*LABEL_FIELDS, "links"]
        read_only_fields = fields


class LabelCreateItemSerializer(serializers.Serializer):
    """One item of the create body (the body is a list of these, or one)."""

    value = serializers.JSONField()
    title = serializers.CharField(max_length=2048, required=False)
    description = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    project = serializers.IntegerField()
    from_name = serializers.CharField(max_length=2048)


class LabelCreatedSerializer(serializers.ModelSerializer):
    """A created (or reused) label with the project and control it was linked to."""

    project = serializers.IntegerField(read_only=True)
    from_name = serializers.CharField(read_only=True)

    class Meta:
        model = Label
        fields = [*LABEL_FIELDS, "project", "from_name"]
        read_only_fields = fields


class LabelUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=2048, required=False)
    value = serializers.JSONField(required=False)
    description = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    approved = serializers.BooleanField(required=False)


class LabelLinkSerializer(serializers.ModelSerializer):
    """``label`` is the id, or the label itself with ``?expand=label``."""

    label = serializers.SerializerMethodField()

    class Meta:
        model = LabelLink
        fields = ["id", "project", "label", "from_name"]
        read_only_fields = fields

    def get_label(self, link: LabelLink) -> dict | int:
        if self.context.get("expand_label"):
            return dict(LabelCreatedSerializer(link.label).data, project=link.project_id, from_name=link.from_name)
        return link.label_id


class LabelLinkWriteSerializer(serializers.Serializer):
    project = serializers.IntegerField(required=False)
    label = serializers.IntegerField(required=False)
    from_name = serializers.CharField(max_length=2048)
