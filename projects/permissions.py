"""DRF permission classes of the permission layer; the rule itself is in projects/access.py.

- ``ProjectMember`` / ``ProjectStaff`` / ``ProjectManager``: views under ``/api/projects/{pk}/``.
  The project the URL names is found once (``project_for``: 404 when the user may not see it, 403
  when their role is not the class's) and kept as ``view.project``. A view may ask more of writes
  (POST, PUT, PATCH, DELETE) with ``write_roles``, and name what is refused with ``denied`` (and
  ``write_denied``), the 403's sentence.
- ``ProjectRole``: an object permission for viewsets over anything that has a project: members
  read; writes need a role in the view's ``write_roles`` (default: managers).
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission

from .access import ALL_ROLES, MANAGERS, STAFF_ROLES, Roles, project_for, role_of
from .models import Project


class ProjectMember(BasePermission):
    """Members of the project in the URL (kwarg ``pk``)."""

    roles: Roles = ALL_ROLES
    url_kwarg = "pk"

    def has_permission(self, request: Any, view: Any) -> bool:
        if request.method == "OPTIONS" or not hasattr(view, request.method.lower()):
            return True  # the view's metadata, or its 405: nothing of the project is read
        write = request.method not in SAFE_METHODS
        roles = getattr(view, "write_roles", self.roles) if write else self.roles
        denied = (getattr(view, "write_denied", None) if write else None) or getattr(view, "denied", None)
        view.project = project_for(request.user, view.kwargs.get(self.url_kwarg), roles=roles, denied=denied)
        return True


class ProjectStaff(ProjectMember):
    """Managers and reviewers of the project in the URL."""

    roles = STAFF_ROLES


class ProjectManager(ProjectMember):
    """Managers of the project in the URL."""

    roles = MANAGERS


class ProjectRole(BasePermission):
    """Object permission for anything that has a project: members may read; writes need a role
    listed in the view's ``write_roles`` (default: managers)."""

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        project = obj if isinstance(obj, Project) else obj.project
        if project is None:  # project-less rows (e.g. some jobs) belong to whoever made them
            return bool(getattr(obj, "created_by_id", None) == request.user.pk)
        role = role_of(request.user, project)
        if role is None:
            return False
        if request.method in SAFE_METHODS:
            return True
        return role in getattr(view, "write_roles", MANAGERS)
