"""Reads for projects: what a user may see, and progress counts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from labelstudio.core import orgs
from labelstudio.core.rawsql import Shape

from .models import Label, LabelLink, Membership, Project

PROJECT = Shape(Project, "p")


def project_list_for(user: User) -> QuerySet[Project]:
    """Projects the user is a member of, or all of their organization's for its owners and
    administrators (every project for superusers), newest first."""

    qs = Project.objects.select_related("created_by")
    member = orgs.member_of(user)
    if user.is_superuser:
        pass
    elif member is not None and member.role in orgs.ADMIN_ROLES:
        qs = qs.filter(organization_id=member.organization_id)
    else:
        qs = qs.filter(memberships__user=user)
    return qs.order_by("-id")


def projects_managed_by(user: User) -> QuerySet[Project]:
    """Projects the user manages (``access.role_of`` says MANAGER): those where they are a
    manager, every project of their organization for its owners and administrators, all for
    superusers."""

    if user.is_superuser:
        return Project.objects.all()
    managed = Q(memberships__user=user, memberships__role=Membership.Role.MANAGER)
    if orgs.org_role(user) in orgs.ADMIN_ROLES:
        managed |= Q(organization_id=orgs.org_id_of(user))
    return Project.objects.filter(managed).distinct()


def project_progress(project: Project) -> dict[str, Any]:
    """Task counts for one project."""
    return project_counters([project.pk])[project.pk]


def org_users_of(project: Project) -> QuerySet[User]:
    """Users of the project's organization: the only ones who may join it."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(org_member__organization_id=project.organization_id)


def members_of(project: Project) -> QuerySet[Membership]:
    return project.memberships.select_related("user").order_by("id")


#: projects with at least this many tasks have their counters cached for COUNTERS_TTL seconds: their
#: count is a scan of that many index entries (~100 ms per million), which a page of the project
#: list or the project API must not pay on every request. Smaller projects are counted every time.
COUNTERS_CACHE_FROM = 50_000
COUNTERS_TTL = 30


def project_counters(project_ids: list[int]) -> dict[int, dict[str, Any]]:
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


def _count_tasks(project_ids: list[int]) -> dict[int, dict[str, Any]]:
    # listed layering exception, lazy so projects loads on its own: project counters count tasks
    from tasks.models import Task

    rows = (
        Task.objects.filter(project_id__in=project_ids)
        .values("project_id")
        .annotate(
            task_number=Count("id"),
            num_tasks_with_annotations=Count("id", filter=Q(total_annotations__gt=0)),
            finished_task_number=Count("id", filter=Q(is_labeled=True)),
            skipped_task_number=Count("id", filter=Q(cancelled_annotations__gt=0)),
            total_annotations_number=Coalesce(Sum("total_annotations"), 0),
            skipped_annotations_number=Coalesce(Sum("cancelled_annotations"), 0),
            total_predictions_number=Coalesce(Sum("total_predictions"), 0),
        )
        .order_by()
    )
    counters = {pid: dict.fromkeys(("task_number",), 0) for pid in project_ids}
    for row in rows:
        row["useful_annotation_number"] = row["total_annotations_number"]
        counters[row.pop("project_id")] = row
    for pid, n in project_ground_truth_counts(project_ids).items():
        counters[pid]["ground_truth_number"] = n
    return counters


def project_ground_truth_counts(project_ids: list[int]) -> dict[int, int]:
    # listed layering exception, lazy so projects loads on its own: project pages count completions
    from annotators.models import Completion

    rows = (
        Completion.objects.filter(project_id__in=project_ids, ground_truth=True)
        .values("project_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["project_id"]: r["n"] for r in rows}


def project_unique_annotators(project: Project, user: User | None = None) -> QuerySet[User]:
    """Users with at least one completion in the project (Label Studio's /annotators/); with
    ``user``, only completions that user may read (an annotator learns nothing of the others'
    work unless the project lets annotators see all)."""
    from django.contrib.auth import get_user_model

    # listed layering exception, lazy so projects loads on its own: pages count readable completions
    from annotators.models import Completion
    from annotators.selectors import completions_visible_to

    completions = Completion.objects.filter(project=project) if user is None else completions_visible_to(user, project)
    ids = completions.values("completed_by_id")
    return get_user_model().objects.filter(pk__in=ids).order_by("id")


# ---------- saved labels (user-added Taxonomy items, Label Studio's /api/labels) ----------


def labels_for(user: User) -> QuerySet[Label]:
    """Saved labels the user may see: their organization's for its owners and administrators;
    for others, the ones linked to a project they are in, and the ones they made."""

    qs = Label.objects.all()
    if user.is_superuser:
        return qs
    org_id = orgs.org_id_of(user)
    if org_id is None:  # no organization: no labels
        return qs.none()
    qs = qs.filter(organization_id=org_id)
    if orgs.org_role(user) in orgs.ADMIN_ROLES:
        return qs
    visible = LabelLink.objects.filter(project__memberships__user=user).values("label_id")
    return qs.filter(Q(pk__in=visible) | Q(created_by=user))


def label_links_for(user: User, project_id: int | None = None) -> QuerySet[LabelLink]:
    """Links in the projects the user may see (optionally one project), with their label."""
    qs = LabelLink.objects.filter(project__in=project_list_for(user).order_by().values("pk"))
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    return qs.select_related("label").order_by("id")


def saved_label_paths(project: Project | int) -> dict[str, list[list[str]]]:
    """The project's saved labels by control name: ``{from_name: [path, ...]}``."""
    out: dict[str, list[list[str]]] = {}
    for from_name, value in LabelLink.objects.filter(project=project).values_list("from_name", "label__value"):
        out.setdefault(from_name, []).append(value)
    return out
