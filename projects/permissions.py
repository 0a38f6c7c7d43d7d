"""Project roles. Non-members get 404 (not 403) so project ids don't leak.

``role_of(user, project)`` is the one place that decides a user's role; permission classes and
services ask it. Superusers act as managers everywhere.
"""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from labelstudio.core import orgs

from .models import Membership, Project

MANAGER = Membership.Role.MANAGER
REVIEWER = Membership.Role.REVIEWER
ANNOTATOR = Membership.Role.ANNOTATOR
ALL_ROLES = (MANAGER, REVIEWER, ANNOTATOR)
STAFF_ROLES = (MANAGER, REVIEWER)


def role_of(user, project: Project | int) -> str | None:
    """The user's role in the project, or None for non-members. Cached per user object.
    Owners and administrators of the project's organization act as its managers."""
    if not user or not user.is_authenticated:
        return None
    if user.is_superuser:
        return MANAGER
    project_id = project if isinstance(project, int) else project.pk
    cache = user.__dict__.setdefault("_project_roles", {})
    if project_id not in cache:
        role = Membership.objects.filter(project_id=project_id, user=user).values_list("role", flat=True).first()
        cache[project_id] = role or _org_admin_role(user, project)
    return cache[project_id]


def _org_admin_role(user, project: Project | int) -> str | None:
    """MANAGER when the user administers the organization the project belongs to."""

    if orgs.org_role(user) not in orgs.ADMIN_ROLES:
        return None
    org_id = (
        project.organization_id
        if isinstance(project, Project)
        else Project.objects.filter(pk=project).values_list("organization_id", flat=True).first()
    )
    return MANAGER if org_id is not None and org_id == orgs.org_id_of(user) else None


def remember_role(user, project_id: int, role: str | None) -> str | None:
    """Record a role read together with the project (one statement on hot paths) so later
    ``role_of`` calls for this user object don't query again; returns the effective role."""
    if not user or not user.is_authenticated:
        return None
    if user.is_superuser:
        return MANAGER
    if role is None:
        role = _org_admin_role(user, project_id)
    user.__dict__.setdefault("_project_roles", {})[project_id] = role
    return role


def has_role(user, project, roles=ALL_ROLES) -> bool:
    return role_of(user, project) in roles


class ProjectRole(BasePermission):
    """Object permission for anything that has a project: members may read; writes need a role
    listed in the view's ``write_roles`` (default: managers)."""

    def has_object_permission(self, request, view, obj) -> bool:
        project = obj if isinstance(obj, Project) else obj.project
        if project is None:  # project-less rows (e.g. some jobs) belong to whoever made them
            return getattr(obj, "created_by_id", None) == request.user.pk
        role = role_of(request.user, project)
        if role is None:
            return False
        if request.method in SAFE_METHODS:
            return True
        return role in getattr(view, "write_roles", (MANAGER,))
