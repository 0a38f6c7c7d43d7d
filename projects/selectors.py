"""Reads for projects: what a user may see, and progress counts."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from labelstudio.core.rawsql import Shape, one

from .models import Membership, Project
from .permissions import remember_role

PROJECT = Shape(Project, "p")
M = Membership._meta.db_table


def project_list_for(user) -> QuerySet[Project]:
    """Projects the user is a member of (all for superusers), newest first."""
    qs = Project.objects.select_related("created_by")
    if not user.is_superuser:
        qs = qs.filter(memberships__user=user)
    return qs.order_by("-id")


def project_get_for(user, project_id: int) -> Project:
    """The project if the user may see it; raises Project.DoesNotExist otherwise (→ 404)."""
    return project_list_for(user).get(pk=project_id)


def project_progress(project: Project) -> dict:
    """Task counts for one project."""
    return project_counters([project.pk])[project.pk]


def users_visible_to(user) -> QuerySet:
    """The users ``user`` may look up by id and see the name and e-mail of: everyone for staff,
    otherwise the members of the projects ``user`` belongs to (and ``user``)."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.all()
    if user.is_superuser or user.is_staff:
        return users
    mine = Membership.objects.filter(user=user).values("project_id")
    shared = Membership.objects.filter(project_id__in=mine).values("user_id")
    return users.filter(Q(pk__in=shared) | Q(pk=user.pk))


def members_of(project: Project) -> QuerySet[Membership]:
    return project.memberships.select_related("user").order_by("id")


def project_counters(project_ids: list[int]) -> dict[int, dict]:
    """Counters for a page of projects in one grouped query over the tasks index."""
    from tasks.models import Task

    rows = (
        Task.objects.filter(project_id__in=project_ids)
        .values("project_id")
        .annotate(
            task_number=Count("id"),
            num_tasks_with_annotations=Count("id", filter=Q(total_annotations__gt=0)),
            finished_task_number=Count("id", filter=Q(is_labeled=True)),
            skipped_task_number=Count("id", filter=Q(cancelled_annotations__gt=0)),
        )
        .order_by()
    )
    counters = {pid: dict.fromkeys(("task_number",), 0) for pid in project_ids}
    for row in rows:
        counters[row.pop("project_id")] = row
    return counters


def project_with_role(user, project_id: int) -> tuple[Project | None, str | None]:
    """The project and the user's role in it (None: not a member) in one statement; the role is
    remembered for ``role_of``. For the labeling loop, which asks on every request."""
    row = one(
        f"SELECT {PROJECT.columns}, m.role FROM {Project._meta.db_table} p"  # noqa: S608
        f" LEFT JOIN {M} m ON m.project_id = p.id AND m.user_id = %s WHERE p.id = %s",
        [user.pk, project_id],
    )
    if row is None:
        return None, None
    project = PROJECT.build(row)
    return project, remember_role(user, project.pk, row[PROJECT.width])
