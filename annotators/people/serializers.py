"""People in Label Studio's shapes (its SDK's LseUser / LseOrganization / OrganizationInvite and
the legacy client's User), with our organization role as the additive field ``role``."""

from __future__ import annotations

from rest_framework import serializers

from labelstudio.core import orgs
from labelstudio.core.models import Organization, OrganizationMember


def _member(user) -> OrganizationMember | None:
    return getattr(user, "org_member", None) if hasattr(user, "org_member") else orgs.member_of(user)


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(required=False, max_length=150)
    email = serializers.EmailField(required=False, allow_blank=True)
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=64)
    password = serializers.CharField(required=False, write_only=True, allow_blank=False)
    custom_hotkeys = serializers.JSONField(required=False)
    role = serializers.CharField(required=False, help_text="organization role (ours; LS codes OW/AD/MA/RE/AN accepted)")
    is_active = serializers.BooleanField(required=False)
    date_joined = serializers.DateTimeField(read_only=True)
    last_activity = serializers.DateTimeField(read_only=True, source="last_login")
    initials = serializers.SerializerMethodField()
    avatar = serializers.SerializerMethodField()

    def validate_custom_hotkeys(self, value):
        return HotkeysSerializer().validate_custom_hotkeys(value)

    active_organization = serializers.SerializerMethodField()
    org_membership = serializers.SerializerMethodField()
    allow_newsletters = serializers.SerializerMethodField()

    def validate_role(self, value):
        role = orgs.FROM_LS_CODE.get(value, value)
        if role not in orgs.RANK:
            raise serializers.ValidationError(f"role must be one of {', '.join(orgs.RANK)}")
        return role

    def get_initials(self, user) -> str:
        if user.first_name and user.last_name:
            return (user.first_name[:1] + user.last_name[:1]).upper()
        return (user.username or user.email or "?")[:2].upper()

    def get_avatar(self, user) -> str | None:
        return None

    def get_active_organization(self, user) -> int | None:
        member = _member(user)
        return member.organization_id if member else None

    def get_org_membership(self, user) -> list[dict]:
        member = _member(user)
        if member is None:
            return []
        return [
            {"role": orgs.LS_CODES[member.role], "active": user.is_active, "organization_id": member.organization_id}
        ]

    def get_allow_newsletters(self, user) -> bool:
        return False

    def to_representation(self, user):
        data = super().to_representation(user)
        member = _member(user)
        data["phone"] = member.phone if member else ""
        data["custom_hotkeys"] = member.custom_hotkeys if member else {}
        data["role"] = member.role if member else None
        data["organization_membership"] = data["org_membership"][0] if data["org_membership"] else None
        return data


class HotkeysSerializer(serializers.Serializer):
    custom_hotkeys = serializers.JSONField()

    def validate_custom_hotkeys(self, value):
        if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
            raise serializers.ValidationError("custom_hotkeys must be an object of action → key")
        for action, spec in value.items():
            if not isinstance(spec, (str, dict)) or len(action) > 100:
                raise serializers.ValidationError(f"hotkey '{action[:100]}' must be a key string or an object")
        return value


class OrganizationSerializer(serializers.ModelSerializer):
    default_role = serializers.SerializerMethodField()
    billing = serializers.SerializerMethodField()
    contact_info = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = ["id", "title", "created_at", "contact_info", "default_role", "billing"]
        read_only_fields = ["id", "created_at"]

    def get_default_role(self, org) -> str:
        return "AN"

    def get_billing(self, org) -> dict:
        return {}

    def get_contact_info(self, org) -> str:
        return org.created_by.email if org.created_by else ""


class MembershipSerializer(serializers.ModelSerializer):
    """Label Studio's organization membership row: ``role`` is its code (AN, RE, MA, AD, OW),
    ``role_name`` ours."""

    user = UserSerializer(read_only=True)
    role = serializers.SerializerMethodField()
    role_name = serializers.CharField(source="role", read_only=True)
    organization = serializers.IntegerField(source="organization_id", read_only=True)

    class Meta:
        model = OrganizationMember
        fields = ["id", "organization", "user", "role", "role_name", "created_at"]

    def get_role(self, member) -> str:
        return orgs.LS_CODES[member.role]


class MembershipUpdateSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    role = serializers.CharField()

    def validate_role(self, value):
        role = orgs.FROM_LS_CODE.get(value, value)
        if role not in orgs.RANK:
            raise serializers.ValidationError(f"role must be one of {', '.join(orgs.RANK)} (or OW, AD, MA, RE, AN)")
        return role


class InviteCreateSerializer(serializers.Serializer):
    role = serializers.CharField(required=False, default=orgs.ANNOTATOR)
    expires_in_days = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    emails = serializers.ListField(child=serializers.CharField(), required=False)

    validate_role = MembershipUpdateSerializer.validate_role
