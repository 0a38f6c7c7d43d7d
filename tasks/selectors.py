"""Reads for tasks: the task list a user may see, with the data manager's filters."""

from __future__ import annotations

import json

from django.db import connection
from django.db.models import QuerySet

from labelstudio.core.rawsql import Shape, one
from projects.models import Membership, Project
from projects.permissions import remember_role
from projects.selectors import PROJECT, project_list_for

from .models import Task

TASK = Shape(Task, "t")


def task_list_for(user, project_id: int | None = None) -> QuerySet[Task]:
    """Tasks of projects the user belongs to, in a stable order (id)."""
    qs = Task.objects.all()
    if not user.is_superuser:
        qs = qs.filter(project__in=project_list_for(user).values("pk"))
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    return qs.order_by("id")


def task_with_role(user, task_id: int) -> tuple[Task | None, str | None]:
    """The task with its project loaded and the user's role in that project (None: not a member),
    in one statement; the role is remembered for ``role_of``. For the labeling loop."""
    row = one(
        f"SELECT {TASK.columns}, {PROJECT.columns}, m.role FROM {Task._meta.db_table} t"  # noqa: S608
        f" JOIN {Project._meta.db_table} p ON p.id = t.project_id"
        f" LEFT JOIN {Membership._meta.db_table} m ON m.project_id = p.id AND m.user_id = %s WHERE t.id = %s",
        [user.pk, task_id],
    )
    if row is None:
        return None, None
    task, project = TASK.build(row), PROJECT.build(row, TASK.width)
    task.project = project
    return task, remember_role(user, project.pk, row[TASK.width + PROJECT.width])


# --- counts and offset pages of large task lists ---------------------------------------------------
#: planner cost (PostgreSQL's units) under which a filtered list is counted exactly: about the cost
#: of an index-only count of ~30k tasks, a few milliseconds. Above it the total is the planner's
#: estimate, which the data manager shows as "~1.2M" and the API flags with total_estimated.
EXACT_COUNT_COST = 1000.0


def task_total(qs: QuerySet[Task]) -> tuple[int, bool]:
    """(number of tasks in ``qs``, whether it is an estimate). Never a full scan of a large list:
    on PostgreSQL the planner prices the count first and only cheap counts are run. SQLite (the
    embedded default, for small projects) always counts exactly."""
    ids = qs.order_by().values("id")
    if connection.vendor != "postgresql":
        return ids.count(), False
    sql, params = ids.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
    if plan["Total Cost"] <= EXACT_COUNT_COST:
        return ids.count(), False
    return int(plan["Plan Rows"]), True


def task_offset_page(qs: QuerySet[Task], start: int, size: int) -> list[Task]:
    """Rows ``start``..``start + size`` of ``qs`` (offset paging, Label Studio's ``page``), read as
    a deferred join: the offset walks only the ids in the sort's covering index, then the page's
    rows are fetched by primary key — the same rows, in the same order, as ``qs[start:start+size]``."""
    if start == 0:
        return list(qs[:size])
    ids = list(qs.values_list("id", flat=True)[start : start + size])
    rows = {t.pk: t for t in qs.filter(pk__in=ids).order_by()}
    return [rows[pk] for pk in ids if pk in rows]


def humanize_total(total: int, estimated: bool) -> str:
    """12,345 exactly, or ~12k / ~1.2M for an estimate."""
    if not estimated:
        return f"{total:,}"
    for unit, size in (("M", 1_000_000), ("k", 1_000)):
        if total >= size:
            value = total / size
            return f"~{value:.1f}{unit}" if value < 10 else f"~{round(value)}{unit}"
    return f"~{total}"
