"""The permission layer: who may see a project, and what their role in it lets them do.

One rule for API views, pages and services alike:

- a project the user may not see is a 404 (``NotFound``): the same answer as for a project that
  does not exist, so ids of other organizations' (and other teams') projects don't leak;
- a project they see, with a role not among ``roles``, is a 403 (``Forbidden``).

``role_of(user, project)`` decides the role: the project membership's role; owners and
administrators of the project's organization act as managers; superusers as managers everywhere.
It is resolved once per request: cached on the user object, which Django and DRF make anew for
every request (the selectors below read the project and the role in one statement and remember it).

How code uses it:
- API views under ``/api/projects/{pk}/``: ``permission_classes = [IsAuthenticated, ProjectMember]``
  (or ``ProjectStaff``, ``ProjectManager``; projects/permissions.py), then ``self.project``;
  views on objects that belong to a project (viewsets): ``ProjectRole``, an object permission.
- Views that find a project or task elsewhere (a body, a query parameter) and pages:
  ``project_for(user, pk, roles=...)``; ``tasks.selectors.task_for``,
  ``annotators.selectors.completion_for`` are the same for tasks and completions.
- Services: ``role_check(user, project, roles=...)`` before they write.
The errors are ``labelstudio.core.exceptions.NotFound`` / ``Forbidden``: ApplicationErrors (the
API answers ``{"detail": ...}`` with 404/403) that are also Django's Http404 / PermissionDenied (a
page answers its 404/403 page).
"""

from __future__ import annotations

from typing import Any

from labelstudio.core import orgs
from labelstudio.core.exceptions import Forbidden, NotFound
from labelstudio.core.rawsql import one

from .models import Membership, Project
from .selectors import PROJECT

MANAGER = Membership.Role.MANAGER
REVIEWER = Membership.Role.REVIEWER
ANNOTATOR = Membership.Role.ANNOTATOR
ALL_ROLES = (MANAGER, REVIEWER, ANNOTATOR)
STAFF_ROLES = (MANAGER, REVIEWER)
MANAGERS = (MANAGER,)
Roles = tuple[str, ...]

#: the 403 sentence when the caller gives none
DENIED: dict[Roles, str] = {
    MANAGERS: "only the project's managers may do this",
    STAFF_ROLES: "only managers and reviewers may do this",
}
_CACHE = "_project_roles"  # on the user object: {project id: role or None}
_MAX_ID = 2**63


def role_of(user: Any, project: Project | int) -> str | None:
    """The user's role in the project, or None when they may not see it."""
    if not user or not user.is_authenticated:
        return None
    if user.is_superuser:
        return MANAGER
    project_id = project if isinstance(project, int) else project.pk
    cache: dict[int, str | None] = user.__dict__.setdefault(_CACHE, {})
    if project_id not in cache:
        role = Membership.objects.filter(project_id=project_id, user=user).values_list("role", flat=True).first()
        cache[project_id] = role or _org_admin_role(user, project)
    return cache[project_id]


def _org_admin_role(user: Any, project: Project | int) -> str | None:
    """MANAGER when the user administers the organization the project belongs to."""
    if orgs.org_role(user) not in orgs.ADMIN_ROLES:
        return None
    org_id = (
        project.organization_id
        if isinstance(project, Project)
        else Project.objects.filter(pk=project).values_list("organization_id", flat=True).first()
    )
    return MANAGER if org_id is not None and org_id == orgs.org_id_of(user) else None


def remember_role(user: Any, project_id: int, membership_role: str | None) -> str | None:
    """Record a membership role read together with the project (one statement on hot paths), so
    later ``role_of`` calls in this request don't query again; returns the effective role."""
    if not user or not user.is_authenticated:
        return None
    if user.is_superuser:
        return MANAGER
    role = membership_role or _org_admin_role(user, project_id)
    user.__dict__.setdefault(_CACHE, {})[project_id] = role
    return role


def check_role(role: str | None, roles: Roles = ALL_ROLES, *, denied: str | None = None, missing: str) -> str:
    """``role`` when it is among ``roles``; NotFound(``missing``) when there is none (the user may
    not see the object), Forbidden(``denied``) otherwise. Every check of this layer ends here."""
    if role is None:
        raise NotFound(missing)
    if role not in roles:
        raise Forbidden(denied or DENIED.get(roles, "your role in this project does not allow this"))
    return role


def role_check(user: Any, project: Project | int, roles: Roles = ALL_ROLES, *, denied: str | None = None) -> str:
    """For services: the user's role in a project they were handed, or NotFound/Forbidden."""
    return check_role(role_of(user, project), roles, denied=denied, missing="no such project")


def as_id(value: object) -> int | None:
    """An object id from a URL, query or body; None for anything that cannot be one (the caller
    answers 404: a junk id names no object)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if 0 < number < _MAX_ID else None


def project_with_role(user: Any, project_id: int) -> tuple[Project | None, str | None]:
    """The project and the user's role in it (None: they may not see it) in one statement."""
    row = one(
        f"SELECT {PROJECT.columns}, m.role FROM {Project._meta.db_table} p"  # noqa: S608
        f" LEFT JOIN {Membership._meta.db_table} m ON m.project_id = p.id AND m.user_id = %s WHERE p.id = %s",
        [user.pk, project_id],
    )
    if row is None:
        return None, None
    project = PROJECT.build(row)
    return project, remember_role(user, project.pk, row[PROJECT.width])


def project_for(user: Any, project_id: object, *, roles: Roles = ALL_ROLES, denied: str | None = None) -> Project:
    """The project ``project_id`` names, if the user may see it (NotFound otherwise, also for a
    junk id) and their role is among ``roles`` (Forbidden otherwise)."""
    pk = as_id(project_id)
    project, role = project_with_role(user, pk) if pk is not None else (None, None)
    check_role(role, roles, denied=denied, missing="no such project")
    assert project is not None  # a role implies the row
    return project
