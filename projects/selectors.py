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


def members_of(project: Project) -> QuerySet[Membership]:
    return project.memberships.select_related("user").order_by("id")


#: projects with at least this many tasks have their counters cached for COUNTERS_TTL seconds: their
#: count is a scan of that many index entries (~100 ms per million), which a page of the project
#: list or the project API must not pay on every request. Smaller projects are counted every time.
COUNTERS_CACHE_FROM = 50_000
COUNTERS_TTL = 30


def project_counters(project_ids: list[int]) -> dict[int, dict]:
    """Counters for a page of projects: one grouped query over the tasks index, except for large
    projects counted within the last COUNTERS_TTL seconds (docs/scaling.md, "Counts")."""
    from django.core.cache import cache

    keys = {pid: f"project-counters:{pid}" for pid in project_ids}
    cached = cache.get_many(list(keys.values())) if project_ids else {}
    counters = {pid: cached[k] for pid, k in keys.items() if k in cached}
    todo = [pid for pid in project_ids if pid not in counters]
    fresh = _count_tasks(todo) if todo else {}
    counters.update(fresh)
    big = {keys[pid]: c for pid, c in fresh.items() if c.get("task_number", 0) >= COUNTERS_CACHE_FROM}
    if big:
        cache.set_many(big, timeout=COUNTERS_TTL)
    return counters


def _count_tasks(project_ids: list[int]) -> dict[int, dict]:
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
