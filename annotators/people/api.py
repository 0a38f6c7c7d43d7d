"""People endpoints on Label Studio's paths:

/api/users (list: a plain list, create, get, update, delete = deactivate), /api/current-user
(GET, PATCH), /api/current-user/whoami, /api/current-user/token, /api/current-user/reset-token,
/api/current-user/hotkeys, /api/organizations (list, get, update),
/api/organizations/{id}/memberships (list, PATCH role), /api/invite (GET the link, POST a new
one with role/expiry), /api/invite/reset-token, /api/invite/revoke, /api/invite/send-email.

Nothing of another organization is found (404); managing people needs owner/administrator.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from labelstudio.core import orgs
from labelstudio.core.pagination import PageNumberPagination

from . import selectors, services
from .serializers import (
    HotkeysSerializer,
    InviteCreateSerializer,
    MembershipSerializer,
    MembershipUpdateSerializer,
    OrganizationSerializer,
    UserSerializer,
)

USER_FIELDS = ("username", "email", "first_name", "last_name", "phone", "custom_hotkeys")


def _require_admin(user) -> None:
    if not orgs.can_manage_people(user):
        raise PermissionDenied("only owners and administrators of the organization manage people")


def _visible_user(request, pk: int):
    user = selectors.users_visible_to(request.user).filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


class UserListView(APIView):
    @extend_schema(responses=UserSerializer(many=True))
    def get(self, request):
        """The organization's people (a plain list, as Label Studio answers)."""
        users = selectors.users_visible_to(request.user, search=request.query_params.get("search", ""))
        return Response(UserSerializer(users, many=True).data)

    @extend_schema(request=UserSerializer, responses={201: UserSerializer})
    def post(self, request):
        _require_admin(request.user)
        serializer = UserSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = services.user_create(
            organization=orgs.member_of(request.user).organization,
            actor=request.user,
            role=data.get("role", orgs.ANNOTATOR),
            password=data.get("password"),
            username=data.get("username", ""),
            **{k: data[k] for k in ("email", "first_name", "last_name") if k in data},
        )
        if "phone" in data:
            services.user_update(user=user, phone=data["phone"])
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class UserDetailView(APIView):
    @extend_schema(responses=UserSerializer)
    def get(self, request, pk: int):
        return Response(UserSerializer(_visible_user(request, pk)).data)

    @extend_schema(request=UserSerializer, responses=UserSerializer)
    def patch(self, request, pk: int):
        user = _visible_user(request, pk)
        if user.pk != request.user.pk:
            _require_admin(request.user)
            services.check_may_manage(request.user, user)
        serializer = UserSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "role" in data:
            _require_admin(request.user)
            services.member_role_set(user=user, role=data["role"], actor=request.user)
        if "is_active" in data:
            _require_admin(request.user)
            services.user_set_active(user=user, active=data["is_active"], actor=request.user)
        if "password" in data and user.pk != request.user.pk:
            _require_admin(request.user)
        services.user_update(user=user, password=data.get("password"), **{k: data[k] for k in USER_FIELDS if k in data})
        return Response(UserSerializer(_visible_user(request, pk)).data)

    put = patch

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        """Deactivates: completions keep their author (Label Studio deletes the row)."""
        user = _visible_user(request, pk)
        _require_admin(request.user)
        services.user_set_active(user=user, active=False, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CurrentUserView(APIView):
    @extend_schema(responses=UserSerializer)
    def get(self, request):
        return Response(UserSerializer(request.user).data)

    @extend_schema(request=UserSerializer, responses=UserSerializer)
    def patch(self, request):
        serializer = UserSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.user_update(
            user=request.user, password=data.get("password"), **{k: data[k] for k in USER_FIELDS if k in data}
        )
        return Response(UserSerializer(request.user).data)


class WhoAmIView(APIView):
    @extend_schema(responses=UserSerializer)
    def get(self, request):
        data = UserSerializer(request.user).data
        data["permissions"] = sorted(request.user.get_all_permissions())
        data["can_create_projects"] = orgs.can_create_projects(request.user)
        return Response(data)


class TokenView(APIView):
    @extend_schema(responses={200: dict})
    def get(self, request):
        return Response({"token": services.token_get(user=request.user).key})


class ResetTokenView(APIView):
    @extend_schema(request=None, responses={200: dict})
    def post(self, request):
        return Response({"token": services.token_reset(user=request.user).key})


class HotkeysView(APIView):
    @extend_schema(responses=HotkeysSerializer)
    def get(self, request):
        return Response({"custom_hotkeys": orgs.member_of(request.user).custom_hotkeys or {}})

    @extend_schema(request=HotkeysSerializer, responses=HotkeysSerializer)
    def patch(self, request):
        serializer = HotkeysSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_update(user=request.user, custom_hotkeys=serializer.validated_data["custom_hotkeys"])
        return Response({"custom_hotkeys": orgs.member_of(request.user).custom_hotkeys})

    put = patch


class OrganizationListView(APIView):
    @extend_schema(responses=OrganizationSerializer(many=True))
    def get(self, request):
        orgs_ = selectors.organizations_visible_to(request.user)
        return Response(OrganizationSerializer(orgs_, many=True).data)


class OrganizationDetailView(APIView):
    def _get(self, request, pk: int):
        org = selectors.organizations_visible_to(request.user).filter(pk=pk).first()
        if org is None:
            raise Http404
        return org

    @extend_schema(responses=OrganizationSerializer)
    def get(self, request, pk: int):
        return Response(OrganizationSerializer(self._get(request, pk)).data)

    @extend_schema(request=OrganizationSerializer, responses=OrganizationSerializer)
    def patch(self, request, pk: int):
        org = self._get(request, pk)
        _require_admin(request.user)
        serializer = OrganizationSerializer(org, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(serializer.data)


class MembershipListView(APIView):
    @extend_schema(responses=MembershipSerializer(many=True))
    def get(self, request, pk: int):
        OrganizationDetailView()._get(request, pk)
        members = selectors.members_of(
            request.user, pk, search=request.query_params.get("search", ""), role=request.query_params.get("role", "")
        )
        paginator = self.paginator_class()
        page = paginator.paginate_queryset(members, request, view=self)
        return paginator.get_paginated_response(MembershipSerializer(page, many=True).data)

    @extend_schema(request=MembershipUpdateSerializer, responses=MembershipSerializer)
    def patch(self, request, pk: int):
        OrganizationDetailView()._get(request, pk)
        _require_admin(request.user)
        serializer = MembershipUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = selectors.users_visible_to(request.user).filter(
            pk=serializer.validated_data["user_id"], org_member__organization_id=pk
        )
        if not user.exists():
            raise Http404
        member = services.member_role_set(user=user.get(), role=serializer.validated_data["role"], actor=request.user)
        return Response(MembershipSerializer(member).data)

    @property
    def paginator_class(self):
        return _EmptyPastTheEnd


class _EmptyPastTheEnd(PageNumberPagination):
    """The SDK's membership pager asks for the next page until one comes back empty: past the
    last page we answer an empty page, not 404."""

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            self.page = None
            self.request = request
            self._count = queryset.count()
            return []

    def get_paginated_response(self, data):
        if self.page is not None:
            return super().get_paginated_response(data)
        return Response({"count": self._count, "next": None, "previous": None, "results": []})


def _invite_answer(request, invite) -> dict:
    if invite is None:
        return {"token": None, "invite_url": None, "role": None, "expires_at": None}
    base = services.site_url(request)
    return {
        "token": invite.token,
        "invite_url": services.invite_url(invite, base),
        "role": invite.role,
        "expires_at": invite.expires_at,
    }


class InviteView(APIView):
    @extend_schema(responses={200: dict})
    def get(self, request):
        """The organization's invite link (made with the annotator role when there is none)."""
        _require_admin(request.user)
        invite = services.invite_link(organization=orgs.member_of(request.user).organization)
        if invite is None:
            invite = services.invite_link_create(actor=request.user)
        return Response(_invite_answer(request, invite))

    @extend_schema(request=InviteCreateSerializer, responses={201: dict})
    def post(self, request):
        """A new link with a role and an expiry (the previous link stops working)."""
        _require_admin(request.user)
        serializer = InviteCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        invite = services.invite_link_create(
            actor=request.user, role=data["role"], expires_in_days=data.get("expires_in_days")
        )
        return Response(_invite_answer(request, invite), status=status.HTTP_201_CREATED)


class InviteResetTokenView(APIView):
    @extend_schema(request=None, responses={200: dict})
    def post(self, request):
        _require_admin(request.user)
        current = services.invite_link(organization=orgs.member_of(request.user).organization)
        role = current.role if current else orgs.ANNOTATOR
        if not orgs.role_at_most(request.user, role):
            role = orgs.ANNOTATOR
        return Response(_invite_answer(request, services.invite_link_create(actor=request.user, role=role)))


class InviteRevokeView(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        """Revoke the invitations sent to ``email`` (the SDK's ``invites.revoke_invite``), or
        the organization's link when no address is given."""
        _require_admin(request.user)
        organization = orgs.member_of(request.user).organization
        email = (request.data or {}).get("email") if hasattr(request.data, "get") else None
        if email:
            services.invite_email_revoke(organization=organization, email=email)
        else:
            services.invite_link_revoke(organization=organization)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InviteSendEmailView(APIView):
    @extend_schema(request=InviteCreateSerializer, responses={200: dict})
    def post(self, request):
        _require_admin(request.user)
        serializer = InviteCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        invites = services.invite_send(
            actor=request.user,
            emails=data.get("emails") or [],
            role=data["role"],
            base_url=services.site_url(request),
            expires_in_days=data.get("expires_in_days"),
        )
        return Response({"invited": [i.email for i in invites]})
