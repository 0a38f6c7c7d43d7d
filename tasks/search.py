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
gives a superset, and the plain ``LIKE`` decides. A pattern common in the project (PostgreSQL, by
the side table's statistics) is read through its matches, fetched from the index once and cached
(tasks/search_hits.py): a page is an index-only walk of its sort's index filtered by those ids, and
the total is their number. Past HITS_MAX matches the page walks its sort index with the same
condition (``strpos``) and stops after a page of matches, which a pattern that common finds soon.
Without the index (no ``pg_trgm``, no FTS5, or a project not indexed yet) or across projects, the
filter is the plain scan.
"""

from __future__ import annotations

import json

from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, FloatField, IntegerField, Q, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from . import search_hits
from .search_hits import HITS_SQL, TOO_MANY, Hits, Mark
from .search_index import FTS_TABLE, SIDE_TABLE

#: queue the indexing job from a search when this many of the project's tasks are above its watermark
#: (imports queue it themselves; this catches tasks created one by one and upgraded databases)
TAIL_QUEUE = 5_000
#: matches a walk of the sort index must find (a page and its look-ahead row: the data manager shows
#: 50, the API 100), and what one match costs through the side table in rows of such a walk (bitmap
#: heap read, join back to its task, sort: ~20 µs against ~1 µs a row, measured at 1M tasks). A
#: pattern is walked when WALK_PAGE / frequency rows cost less than its matches through the index.
WALK_PAGE, MATCH_COST_ROWS = 100, 20


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
    mark = watermark(project_id) if len(value) >= 3 and project_id is not None else Mark(0, 0)
    if not mark.indexed:
        return qs.filter(plain_condition(value))
    if connection.vendor == "postgresql":
        found = search_hits.cached(int(project_id), value, mark)
        walk = None
        if found is None:  # nothing cached: a rare pattern takes the index, a common one its matches
            walk = common_pattern(value, int(project_id))
            if walk is not None:
                found = search_hits.fetch(int(project_id), value, mark)
        if isinstance(found, Hits):  # the exact matches: an index-only walk of any sort, an exact total
            hits = RawSQL(HITS_SQL, [found.ids], BooleanField())
            return qs.filter(hits).alias(_text_hits=Value(found.count, IntegerField()))
        if found == TOO_MANY:  # so common that the page's sort index, read until a page of matches, is soon done
            contains = RawSQL(_contains(value, '"tasks_task"."data"::text'), variants(value), BooleanField())
            walk = walk if walk is not None else common_pattern(value, int(project_id)) or 1.0
            return qs.filter(contains).alias(_text_rows_factor=Value(walk, FloatField()))
    sql, params = candidates(value, int(project_id), mark.indexed, mark.top)
    if connection.vendor == "postgresql":
        # the candidates are the matches: up to the mark the side text *is* the data's text (kept
        # by the triggers) under the same expression, and the tail applies the LIKE itself
        return qs.filter(id__in=RawSQL(sql, params))
    return qs.filter(plain_condition(value), id__in=RawSQL(sql, params))  # FTS5 finds a superset


def candidates(value: str, project_id: int, mark: int, top: int | None = None) -> tuple[str, list]:
    """SQL for candidate ids: what the index finds for any variant of ``value`` among the tasks up
    to ``mark`` and the project's tasks above it (up to ``top``, its highest id when the search
    began). PostgreSQL: exactly the plain filter's matches (the tail is filtered by the same LIKE);
    SQLite: a superset (FTS5 folds case more widely, and the tail is every task above the mark).

    The tail's id range is bounded by ``top`` because the planner does not know that a project's
    ids are clustered: with another project's tasks above the mark it expects most of them to be
    this project's and scans the table (1M + 200k tasks: 340 ms); bounded, it reads the range."""
    tail = "SELECT id FROM tasks_task WHERE project_id = %s AND id > %s"
    if top is not None:
        tail += f" AND id <= {int(top)}"
    if connection.vendor == "postgresql":
        likes, patterns = like_sql(value, "text")
        found = f"SELECT task_id FROM {SIDE_TABLE} WHERE project_id = %s AND ({likes})"  # noqa: S608
        tail += f" AND ({like_sql(value, 'data::text')[0]})"
        return f"{found} UNION ALL {tail}", [project_id, *patterns, project_id, mark, *patterns]
    phrases = " OR ".join('"' + v.replace('"', '""') + '"' for v in variants(value))
    found = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608 - constants
    return f"{found} UNION ALL {tail}", [phrases, project_id, mark]


def common_pattern(value: str, project_id: int) -> float | None:
    """Whether ``value`` is common enough in the project that joining its matches from the side
    table on every request (one heap page per match: 10,000 at 1M tasks, 60-140 ms) costs more
    than a walk of a sort index reading ~WALK_PAGE / frequency tasks; such a pattern's matches are
    read once and cached (tasks/search_hits.py), or, past HITS_MAX, walked. The frequency is the
    planner's, from the side table's statistics of ``UPPER(text)`` (1,000 entries,
    tasks/search_index.py). Returns None for "join the index's matches"; otherwise how far the
    planner's own estimate of the plain LIKE on tasks_task (it has no statistics of that
    expression: a fixed guess) is off, so a walk's total can be corrected with it."""
    likes, patterns = like_sql(value, "text")
    side = f"SELECT 1 FROM {SIDE_TABLE} WHERE project_id = %s AND ({likes})"  # noqa: S608 - constants
    matches = _estimate(side, [project_id, *patterns])
    tasks = _estimate("SELECT 1 FROM tasks_task WHERE project_id = %s", [project_id])
    if matches * matches * MATCH_COST_ROWS < WALK_PAGE * tasks:
        return None
    plain = f"SELECT 1 FROM tasks_task WHERE project_id = %s AND ({_contains(value, 'data::text')})"  # noqa: S608
    guess = _estimate(plain, [project_id, *variants(value)])
    return matches / max(guess, 1.0)


def _contains(value: str, column: str) -> str:
    """The walk's form of the plain filter: ``strpos`` finds the same substrings as the LIKE of
    the escaped pattern, but the planner guesses a third of the rows for it (the LIKE's guess
    shrinks with each character: 26 rows of 100k for "task 1", found in 11,111), so with a LIMIT
    it walks the sort's index instead of scanning and sorting."""
    return " OR ".join([f"strpos(UPPER({column}), UPPER(%s)) > 0"] * len(variants(value)))


def like_sql(value: str, column: str) -> tuple[str, list[str]]:
    """PostgreSQL: the filter's LIKEs over ``column`` (an expression of ours) and their patterns."""
    patterns = [f"%{connection.ops.prep_for_like_query(v)}%" for v in variants(value)]
    return " OR ".join([f"UPPER({column}) LIKE UPPER(%s)"] * len(patterns)), patterns


def _estimate(sql: str, params: list) -> float:
    """The planner's row estimate of ``sql`` (planning only: well under a millisecond)."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    return float((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"])


def rows_factor(qs) -> float:
    """How much more often a common pattern matches than the planner guesses (1.0 otherwise)."""
    alias = qs.query.annotations.get("_text_rows_factor")
    return float(alias.value) if alias is not None else 1.0


def watermark(project_id: int) -> Mark:
    """The project's ``indexed_through`` (0: nothing indexed), its highest task id and the stamp of
    its mark (version and time: what keys cached matches); queues the job when far behind."""
    from .models import Task, TaskSearchMark
    from .selectors import project_walk

    row = TaskSearchMark.objects.filter(project_id=project_id).values_list("indexed_through", "version", "updated_at")
    mark, version, at = row.first() or (0, 0, None)
    top = project_walk(Task.objects.filter(project_id=project_id).order_by("-id")).values_list("id", flat=True)
    top = top.first() or 0
    if top - mark > TAIL_QUEUE and cache.add(f"search-index-queued:{project_id}", 1, timeout=60):
        from .search_index import queue

        queue(project_id)
    return Mark(mark, top, f"{version}.{at.timestamp() if at else 0}")


def single_project(qs) -> int | None:
    """The project ``qs`` is limited to by a top-level ``project = N`` condition, if any."""
    where = qs.query.where
    if where.connector != "AND" or where.negated:
        return None
    for child in where.children:
        project = project_condition(child)
        if project is not None:
            return project
    return None


def project_condition(child) -> int | None:
    """N if ``child`` (a node of a query's WHERE) is ``project_id = N``."""
    target = getattr(getattr(child, "lhs", None), "target", None)
    if getattr(child, "lookup_name", None) == "exact" and getattr(target, "column", None) == "project_id":
        rhs = getattr(child, "rhs", None)
        if isinstance(rhs, int):
            return rhs
        if hasattr(rhs, "pk") and isinstance(rhs.pk, int):
            return rhs.pk
    return None
