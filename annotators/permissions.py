"""Who may do what with completions, drafts, reviews and project statistics.

The project-level rule comes from projects.permissions.role_of: non-members get 404 (ids don't
leak), members without the needed role get 403. Visibility of single completions is in
selectors.completions_visible_to (annotators see their own unless project.annotators_see_all).
"""

from __future__ import annotations

from django.http import Http404
from rest_framework.exceptions import PermissionDenied

from projects.permissions import MANAGER, STAFF_ROLES, role_of


def member_or_404(user, project) -> str:
    role = role_of(user, project)
    if role is None:
        raise Http404("no such project")
    return role


def staff_or_403(user, project, doing: str) -> str:
    """Managers and reviewers: review queues, agreement, statistics."""
    role = member_or_404(user, project)
    if role not in STAFF_ROLES:
        raise PermissionDenied(f"only managers and reviewers may {doing}")
    return role


def manager_or_403(user, project, doing: str) -> str:
    role = member_or_404(user, project)
    if role != MANAGER:
        raise PermissionDenied(f"only managers may {doing}")
    return role
