"""Reads for tasks: the task list a user may see, with the data manager's filters."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import DatabaseError, connection, transaction
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from labelstudio.core.rawsql import Shape, one, rows
from projects.access import ALL_ROLES, Roles, as_id, check_role, remember_role
from projects.models import Membership, Project
from projects.selectors import PROJECT, project_list_for

from . import search_hits
from .models import Task
from .search import project_condition, rows_factor, single_project

TASK = Shape(Task, "t")


def task_list_for(user: User, project_id: int | None = None) -> QuerySet[Task]:
    """Tasks of projects the user belongs to, in a stable order (id)."""
    qs = Task.objects.all()
    if not user.is_superuser:
        qs = qs.filter(project__in=project_list_for(user).values("pk"))
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    return qs.order_by("id")


def task_with_role(user: User, task_id: int) -> tuple[Task | None, str | None]:
    """The task with its project loaded and the user's role in that project (None: not a member),
    in one statement; the role is remembered for ``role_of`` (the rest of the request)."""
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


def task_for(
    user: User, task_id: object, *, project_id: int | None = None, roles: Roles = ALL_ROLES, denied: str | None = None
) -> Task:
    """The task ``task_id`` names (its project loaded), if the user may see its project (NotFound
    otherwise, also for a junk id or a task of another project than ``project_id``) with a role
    among ``roles`` (Forbidden otherwise): projects.access.project_for for tasks."""
    pk = as_id(task_id)
    task, role = task_with_role(user, pk) if pk is not None else (None, None)
    if task is not None and project_id is not None and task.project_id != project_id:
        role = None
    check_role(role, roles, denied=denied, missing="no such task")
    assert task is not None  # a role implies the row
    return task


# --- counts and offset pages of large task lists ---------------------------------------------------
#: planner cost (PostgreSQL's units) under which a filtered list is counted: about the cost of an
#: index-only count of ~30k tasks, a few milliseconds. Above it the total is the planner's estimate,
#: which the data manager shows as "~1.2M" and the API flags with total_estimated.
EXACT_COUNT_COST = 1000.0
#: a cheap count stops after this many tasks ("50,000+"); text searches after 1,000: each match is
#: a recheck of the task's data, and the planner's estimate of a LIKE pattern can be 100x too low.
COUNT_CAP, TEXT_COUNT_CAP = 50_000, 1_000
#: when the planner expects few tasks but prices their count high, they are counted if that takes
#: less than this (its statistics can be stale: a new project in a large table, mass deletes)
COUNT_BUDGET_MS = 20


@dataclass(frozen=True)
class Total:
    value: int
    kind: str = "exact"  # "exact" | "estimate" (planner statistics) | "at_least" (a capped count)

    @property
    def estimated(self) -> bool:
        return self.kind != "exact"

    @property
    def label(self) -> str:
        """12,345 exactly; ~12k / ~1.2M for an estimate; 1,000+ for a capped count."""
        if self.kind == "exact":
            return f"{self.value:,}"
        if self.kind == "at_least":
            return f"{self.value:,}+"
        for unit, size in (("M", 1_000_000), ("k", 1_000)):
            if self.value >= size:
                value = self.value / size
                return f"~{value:.1f}{unit}" if value < 10 else f"~{round(value)}{unit}"
        return f"~{self.value}"


def is_text_search(qs: QuerySet[Task]) -> bool:
    return "_data_text" in qs.query.annotations


def task_total(qs: QuerySet[Task]) -> Total:
    """How many tasks ``qs`` holds, never by a full scan of a large list: on PostgreSQL the planner
    prices a count capped at COUNT_CAP first; cheap ones are run, others are its estimate. SQLite
    (the embedded default, for small projects) always counts exactly."""
    ids = qs.order_by().values("id")
    if connection.vendor != "postgresql":
        return Total(ids.count())
    matches = search_hits.hits_count(qs)
    if matches is not None and only_searched(qs):  # the cached matches are the list
        return Total(matches)
    cap = TEXT_COUNT_CAP if is_text_search(qs) else COUNT_CAP
    capped = ids[: cap + 1]
    sql, params = capped.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
    scans = '"Seq Scan"' in json.dumps(plan)  # cheap by cost, but reading the table: not a count to run
    if plan["Total Cost"] > EXACT_COUNT_COST or scans:  # the capped count itself would be costly
        estimate = int(plan["Plans"][0]["Plan Rows"] if plan["Node Type"] == "Limit" else plan["Plan Rows"])
        estimate = round(estimate * rows_factor(qs))  # a common text pattern: the planner guesses its LIKE
        if estimate <= TEXT_COUNT_CAP:  # few expected (or stale statistics): count them within a budget
            n = _count_within(ids[: TEXT_COUNT_CAP + 1], COUNT_BUDGET_MS)
            if n is not None:
                return Total(TEXT_COUNT_CAP, "at_least") if n > TEXT_COUNT_CAP else Total(n)
        return Total(estimate, "estimate")
    n = capped.count()
    return Total(cap, "at_least") if n > cap else Total(n)


def _count_within(qs: QuerySet[Task, Any], ms: int) -> int | None:
    """qs.count(), or None if it takes longer than ``ms`` milliseconds (PostgreSQL)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('statement_timeout')")
            before = cursor.fetchone()[0]
            cursor.execute(f"SET LOCAL statement_timeout = {int(ms)}")
            n = qs.count()
            # SET LOCAL lasts to the end of the outermost transaction, not of this savepoint
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [before])
            return n
    except DatabaseError:  # cancelled: the rollback to the savepoint undoes the SET LOCAL too
        return None


def project_walk(qs: QuerySet[Task]) -> QuerySet[Task]:
    """``qs`` (one project's tasks, by a ``project = N`` condition, in some order, unfiltered or
    walked by a common text pattern) in a shape that only the project's ``(project_id, <sort>,
    id)`` indexes can serve (PostgreSQL); other querysets unchanged. The planner
    does not know that a project's ids are clustered: with ``project_id = N ORDER BY id`` it may
    walk the primary key and step over every other project's task before the first of N (two
    100k projects: the newer one's first page read 100,000 rows). Written ``project_id = ANY
    ('{N}')`` (an index condition, but not a constant the planner drops from the ORDER BY) and
    ordered by ``project_id`` first, the order is one only those indexes give. A ``project_id IN
    (the user's projects)`` condition is checked for N here and left out of the page's statement:
    the planner cannot apply ``= ANY`` inside it, and would join all the project's tasks first."""
    order = list(qs.query.order_by)
    if connection.vendor != "postgresql" or not order or not all(isinstance(o, str) for o in order):
        return qs
    project = single_project(qs)
    if project is None:
        return qs
    allowed, keep = _scope(qs)
    if keep and not (len(keep) == 1 and "_text_rows_factor" in qs.query.annotations):
        # other filters (completions, predictions, a rare text's matches): their plans start from
        # those rows, not from a walk, and need the planner to know N is a constant
        return qs
    if not _may_see(project, allowed):
        return qs.none()
    qs = qs.all()
    qs.query.where.children = keep
    column = f'"{Task._meta.db_table}"."project_id" = ANY(%s::bigint[])'
    qs = qs.filter(RawSQL(column, [[project]], output_field=BooleanField()))
    first = str(order[0])
    return qs.order_by("-project_id" if first.startswith("-") else "project_id", *order)


def _projects_subquery(child: Any) -> Any:
    """The subquery of a ``project_id IN (SELECT ...)`` WHERE node, else None."""
    target = getattr(getattr(child, "lhs", None), "target", None)
    if getattr(child, "lookup_name", None) != "in" or getattr(target, "column", None) != "project_id":
        return None
    rhs = getattr(child, "rhs", None)
    return rhs if hasattr(rhs, "model") and hasattr(rhs, "where") else None


def _scope(qs: QuerySet[Task]) -> tuple[list[Any], list[Any]]:
    """The ``project_id IN (the user's projects)`` subqueries of ``qs``'s WHERE and its other
    conditions, besides ``project = N``."""
    children = qs.query.where.children
    allowed = [q for q in map(_projects_subquery, children) if q is not None]
    others = [c for c in children if project_condition(c) is None and _projects_subquery(c) is None]
    return allowed, others


def _may_see(project: int, allowed: list[Any]) -> bool:
    """Whether project N is among each ``project_id IN (...)`` subquery's projects."""
    return all(QuerySet(model=q.model, query=q).filter(pk=project).exists() for q in allowed)


def only_searched(qs: QuerySet[Task]) -> bool:
    """Whether ``qs`` is one project's tasks filtered by cached search matches and nothing else
    (the ``project_id IN (the user's projects)`` condition checked for that project here)."""
    where, project = qs.query.where, single_project(qs)
    if where.connector != "AND" or where.negated or project is None:
        return False
    allowed, others = _scope(qs)
    return len(others) == 1 and search_hits.is_hits_node(others[0]) and _may_see(project, allowed)


def task_offset_page(qs: QuerySet[Task], start: int, size: int) -> list[Task]:
    """Rows ``start``..``start + size`` of ``qs`` (offset paging, Label Studio's ``page``), read as
    a deferred join: the offset walks only the ids in the sort's covering index, then the page's
    rows are fetched by primary key — the same rows, in the same order, as ``qs[start:start+size]``.
    A search through cached matches (tasks/search_hits.py) reads its ids first on every page (an
    index-only walk filtered by them); in id order with no other filter, they are the page's ids."""
    searched = search_hits.hits_count(qs) is not None
    if start == 0 and not searched:
        return list(project_walk(qs)[:size])
    order = [str(o) for o in qs.query.order_by]
    if searched and order in (["id"], ["-id"]) and only_searched(qs):
        matches = search_hits.ids_of(qs)
        ids = (matches[::-1] if order == ["-id"] else matches)[start : start + size]
    elif searched:
        ids = search_hits.page_ids(qs, start, size)
    else:
        ids = list(qs.values_list("id", flat=True)[start : start + size])
    rows = {t.pk: t for t in search_hits.without_hits(qs).filter(pk__in=ids).order_by()}
    return [rows[pk] for pk in ids if pk in rows]


def model_versions_of(project_id: int, limit: int = 50) -> list[str]:
    """The project's prediction model versions (the data manager's filter choices), by a skip scan
    of prediction_project_version_idx: one index probe per version, not one row per prediction."""
    # listed layering exception, lazy so tasks loads on its own: model versions from the prediction index
    from ml_backends.models import Prediction

    table = Prediction._meta.db_table
    found = rows(
        f"WITH RECURSIVE v(mv) AS ("  # noqa: S608 - model table name
        f" SELECT (SELECT model_version FROM {table} WHERE project_id = %s ORDER BY model_version LIMIT 1)"
        f" UNION ALL SELECT (SELECT model_version FROM {table} WHERE project_id = %s AND model_version > v.mv"
        f" ORDER BY model_version LIMIT 1) FROM v WHERE v.mv IS NOT NULL)"
        f" SELECT mv FROM v WHERE mv IS NOT NULL AND mv <> '' LIMIT %s",
        [project_id, project_id, limit],
    )
    return [r[0] for r in found]
