"""Reads about people: whom a user may see. Owners, administrators and managers see everyone
in their organization; reviewers and annotators see only themselves (other annotators' names
are not theirs to see, issue 11). Nobody sees another organization's people."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from labelstudio.core import orgs
from labelstudio.core.models import Organization, OrganizationMember

from .models import Invite

SEE_PEOPLE_ROLES = (orgs.OWNER, orgs.ADMINISTRATOR, orgs.MANAGER)


def users_visible_to(user: User, *, search: str = "", include_inactive: bool = True) -> QuerySet[User]:
    qs = get_user_model().objects.select_related("org_member").order_by("id")
    if not user.is_superuser:
        member = orgs.member_of(user)
        if member is not None and member.role in SEE_PEOPLE_ROLES:
            qs = qs.filter(org_member__organization_id=member.organization_id)
        else:
            qs = qs.filter(pk=user.pk)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if search:
        qs = qs.filter(
            Q(username__icontains=search)
            | Q(email__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
        )
    return qs


def organizations_visible_to(user: User) -> QuerySet[Organization]:
    qs = Organization.objects.order_by("id")
    if user.is_superuser:
        return qs
    org_id = orgs.org_id_of(user)
    return qs.filter(pk=org_id) if org_id is not None else qs.none()


def members_of(user: User, organization_id: int, *, search: str = "", role: str = "") -> QuerySet[OrganizationMember]:
    """Memberships of an organization the user may see (only their own row for reviewers and
    annotators)."""
    qs = OrganizationMember.objects.select_related("user").filter(organization_id=organization_id).order_by("id")
    if not user.is_superuser and orgs.org_role(user) not in SEE_PEOPLE_ROLES:
        qs = qs.filter(user=user)
    if search:
        qs = qs.filter(Q(user__username__icontains=search) | Q(user__email__icontains=search))
    if role:
        wanted = [orgs.FROM_LS_CODE.get(r.strip(), r.strip()) for r in role.split(",")]
        qs = qs.filter(role__in=wanted)
    return qs


def pending_email_invites(organization: Organization) -> list[Invite]:
    """E-mail invitations not used, revoked or expired yet, newest first."""
    invites = Invite.objects.filter(organization=organization, revoked_at=None, used_at=None).exclude(email="")
    return [i for i in invites.select_related("created_by")[:200] if i.usable()]
