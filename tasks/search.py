"""Text search over task data: what the data manager's and the API's ``text`` filter matches, and
how the index serves it.

Semantics (docs/ui.md, "Search"; docs/scaling.md, "Text search"): a case-insensitive substring of
the task data's JSON text (keys, string values and numbers alike). What is typed may be written
unescaped: ``café`` and ``say "hi"`` also match their JSON-escaped forms (``caf\\u00e9``,
``say \\"hi\\"``), which is how some writers store them. Case folding is Unicode on PostgreSQL
(``UPPER`` under the database's UTF-8 ctype) and ASCII-only on SQLite (``LIKE``); accents are
significant on both.

Index (tasks/search_index.py): a search of 3+ characters in one project is what the index finds
among the tasks up to the project's watermark plus the tasks above it (imported, not yet indexed)
that the plain filter matches. On PostgreSQL the index holds the very text the plain filter reads
(``data::text``) under the same ``UPPER(...) LIKE``, so that union is the result; on SQLite FTS5
gives a superset, and the plain ``LIKE`` decides. Without the index (no ``pg_trgm``, no FTS5, or a
project not indexed yet) or across projects, the filter is the plain scan.
"""

from __future__ import annotations

import json

from django.core.cache import cache
from django.db import connection
from django.db.models import Q, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from .search_index import FTS_TABLE, SIDE_TABLE

#: queue the indexing job from a search when this many of the project's tasks are above its watermark
#: (imports queue it themselves; this catches tasks created one by one and upgraded databases)
TAIL_QUEUE = 5_000


def variants(value: str) -> list[str]:
    """The search string as typed plus its JSON-escaped forms (without the quotes)."""
    out = [value]
    for ascii_only in (False, True):
        escaped = json.dumps(value, ensure_ascii=ascii_only)[1:-1]
        if escaped not in out:
            out.append(escaped)
    return out


def annotate_text(qs):
    """The queryset with ``_data_text``, the data's JSON text the filter matches."""
    return qs.annotate(_data_text=Cast("data", TextField()))


def plain_condition(value: str) -> Q:
    """The filter without any index: the reference the indexed path must agree with."""
    q = Q()
    for v in variants(value):
        q |= Q(_data_text__icontains=v)
    return q


def text_filter(qs, value: str, project_id: int | None = None):
    """``qs`` narrowed to tasks whose data contains ``value`` (see the module doc)."""
    qs = annotate_text(qs)
    project_id = project_id or single_project(qs)
    mark = watermark(project_id) if len(value) >= 3 and project_id is not None else 0
    if not mark:
        return qs.filter(plain_condition(value))
    sql, params = candidates(value, int(project_id), mark)
    if connection.vendor == "postgresql":
        # the candidates are the matches: up to the mark the side text *is* the data's text (kept
        # by the triggers) under the same expression, and the tail applies the LIKE itself
        return qs.filter(id__in=RawSQL(sql, params))
    return qs.filter(plain_condition(value), id__in=RawSQL(sql, params))  # FTS5 finds a superset


def candidates(value: str, project_id: int, mark: int) -> tuple[str, list]:
    """SQL for candidate ids: what the index finds for any variant of ``value`` among the tasks up
    to ``mark`` and the project's tasks above it. PostgreSQL: exactly the plain filter's matches
    (the tail is filtered by the same LIKE); SQLite: a superset (FTS5 folds case more widely, and
    the tail is every task above the mark)."""
    tail = "SELECT id FROM tasks_task WHERE project_id = %s AND id > %s"
    if connection.vendor == "postgresql":
        patterns = [f"%{connection.ops.prep_for_like_query(v)}%" for v in variants(value)]
        likes = " OR ".join(["UPPER(@) LIKE UPPER(%s)"] * len(patterns))
        found = f"SELECT task_id FROM {SIDE_TABLE} WHERE project_id = %s AND ({likes.replace('@', 'text')})"  # noqa: S608
        tail += f" AND ({likes.replace('@', 'data::text')})"
        return f"{found} UNION ALL {tail}", [project_id, *patterns, project_id, mark, *patterns]
    phrases = " OR ".join('"' + v.replace('"', '""') + '"' for v in variants(value))
    found = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608 - constants
    return f"{found} UNION ALL {tail}", [phrases, project_id, mark]


def watermark(project_id: int) -> int:
    """The project's ``indexed_through`` (0: nothing indexed); queues the job when far behind."""
    from .models import Task, TaskSearchMark

    mark = TaskSearchMark.objects.filter(project_id=project_id).values_list("indexed_through", flat=True).first()
    top = Task.objects.filter(project_id=project_id).order_by("-id").values_list("id", flat=True).first() or 0
    if top - (mark or 0) > TAIL_QUEUE and cache.add(f"search-index-queued:{project_id}", 1, timeout=60):
        from .search_index import queue

        queue(project_id)
    return mark or 0


def single_project(qs) -> int | None:
    """The project ``qs`` is limited to by a top-level ``project = N`` condition, if any."""
    where = qs.query.where
    if where.connector != "AND" or where.negated:
        return None
    for child in where.children:
        target = getattr(getattr(child, "lhs", None), "target", None)
        if getattr(child, "lookup_name", None) == "exact" and getattr(target, "column", None) == "project_id":
            rhs = getattr(child, "rhs", None)
            if isinstance(rhs, int):
                return rhs
            if hasattr(rhs, "pk") and isinstance(rhs.pk, int):
                return rhs.pk
    return None
