"""Organization roles: which organization a user is in, their role there, and what the role
allows at the organization level (docs/permissions.md). Project roles (projects/access.py)
refine these inside a project. Every app asks here, so it sits at the bottom (labelstudio/core).

A Django superuser is the installation's operator: like the Django admin, they see every
organization. Everyone else sees only their own.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction

from .models import Organization, OrganizationMember

Role = OrganizationMember.Role
OWNER, ADMINISTRATOR, MANAGER, REVIEWER, ANNOTATOR = (
    Role.OWNER,
    Role.ADMINISTRATOR,
    Role.MANAGER,
    Role.REVIEWER,
    Role.ANNOTATOR,
)
# higher = more rights; an invite cannot grant a role ranked above its creator's
RANK = {ANNOTATOR: 1, REVIEWER: 2, MANAGER: 3, ADMINISTRATOR: 4, OWNER: 5}
ADMIN_ROLES = (OWNER, ADMINISTRATOR)
# Label Studio's wire codes (its SDK's OrganizationRoleEnum / legacy UserRole)
LS_CODES = {OWNER: "OW", ADMINISTRATOR: "AD", MANAGER: "MA", REVIEWER: "RE", ANNOTATOR: "AN"}
FROM_LS_CODE = {code: role for role, code in LS_CODES.items()}


def default_organization() -> Organization:
    """The first organization; made if there is none (first start)."""
    org = Organization.objects.order_by("id").first()
    if org is None:
        org = Organization.objects.create(title=settings.DEFAULT_ORGANIZATION_TITLE)
    return org


def member_of(user) -> OrganizationMember | None:
    """The user's organization membership (cached on the user object). A user made outside
    our services (``createsuperuser``, the Django admin) joins the first organization: a
    superuser as owner, anyone else as annotator (the least right)."""
    if not user or not user.is_authenticated:
        return None
    cached = user.__dict__.get("_org_member")
    if cached is not None:
        return cached
    member = OrganizationMember.objects.select_related("organization").filter(user=user).first()
    if member is None:
        try:
            with transaction.atomic():
                member = OrganizationMember.objects.create(
                    user=user,
                    organization=default_organization(),
                    role=OWNER if user.is_superuser else ANNOTATOR,
                )
        except IntegrityError:  # made concurrently
            member = OrganizationMember.objects.select_related("organization").get(user=user)
    user.__dict__["_org_member"] = member
    return member


def org_id_of(user) -> int | None:
    member = member_of(user)
    return member.organization_id if member else None


def org_role(user) -> str | None:
    member = member_of(user)
    return member.role if member else None


def is_org_admin(user) -> bool:
    """Owners and administrators manage the organization's people and see all its projects."""
    return bool(user and user.is_authenticated and (user.is_superuser or org_role(user) in ADMIN_ROLES))


def can_manage_people(user) -> bool:
    return is_org_admin(user)


def can_create_projects(user) -> bool:
    """Who may create projects: staff, users given Django's ``projects.add_project`` right, and
    the organization roles listed in ``PROJECT_CREATOR_ROLES`` (default owner, administrator,
    manager)."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.is_staff:
        return True
    if org_role(user) in settings.PROJECT_CREATOR_ROLES:
        return True
    return user.has_perm("projects.add_project")


def same_org(user, other_user) -> bool:
    if user.is_superuser:
        return True
    return org_id_of(user) is not None and org_id_of(user) == org_id_of(other_user)


def role_at_most(creator, role: str | None) -> bool:
    """May ``creator`` hand out ``role``? Not above their own."""
    if creator.is_superuser:
        return True
    return RANK.get(role, 99) <= RANK.get(org_role(creator), 0)
