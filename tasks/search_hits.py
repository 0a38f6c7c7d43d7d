"""The matches of a common search pattern in one project, cached (PostgreSQL): what a search of
such a pattern reads its pages and its total through (tasks/search.py).

Why: a pattern in ~1% of a 1M-task project (10,000 matches) sorted by a counter, the update time or
the model score cannot stop early on a walk of that sort's index (the matches may all lie at its far
end: every task with a completion is walked and read first, 25,000 heap pages), and fetching every
match through the side table costs one heap page per match twice (side table, then the task):
130-240 ms, 580 ms for an offset page deep in the results. With the matches' ids at hand, a page
is an index-only walk of the sort's index filtered by a hashed ``id = ANY(ids)`` (2-5 ms), the
total is exact, and an id-ordered offset page is a slice of the ids.

What is cached, per project and pattern: the ids of the indexed tasks (``id <= indexed_through``)
whose text matches, sorted, as a PostgreSQL array literal; or ``TOO_MANY`` past ``HITS_MAX`` (a
pattern that common finds a page soon on any walk). The key holds the project's search mark
(``indexed_through``, ``version``, ``updated_at``): the sync trigger moves ``version`` when an
indexed task's data changes, it moves to another project or is deleted, and the job moves the
watermark, so a cached entry never outlives what it describes. ``updated_at`` tells apart marks of
different databases that share a cache (a test database created again). Tasks above the watermark
(imported, not yet indexed) are read by the plain filter on each request and appended.

The cache is read and written only in autocommit (a GET's statements see committed rows alone):
inside a transaction a search may see its own uncommitted changes, whose version is moved only
once, or rolled back and moved again by another transaction.
"""

from __future__ import annotations

import hashlib
from typing import Any, NamedTuple

from django.core.cache import cache
from django.db import connection
from django.db.models.expressions import RawSQL

from .search_index import SIDE_TABLE

#: the most matches kept: planning ``id = ANY(ids)`` costs ~0.3 µs per id (10,000: 3 ms; 50,000:
#: 12 ms), and a pattern with more matches finds a page of 50 soon on most walks
HITS_MAX = 25_000
TTL = 3600  # (the key already changes with what it describes: this only frees what nobody asks for)
TOO_MANY = "many"
#: the filter a page of cached matches carries (tasks/search.py ``text_filter``)
HITS_SQL = '"tasks_task"."id" = ANY(%s::bigint[])'


class Mark(NamedTuple):
    """A project's search watermark (tasks/models.py TaskSearchMark) and its highest task id."""

    indexed: int
    top: int
    stamp: str = ""


class Hits(NamedTuple):
    ids: str  # '{id,...}', ascending
    count: int


def cached(project_id: int, value: str, mark: Mark) -> Hits | str | None:
    """The cached matches (with the tail's), TOO_MANY, or None when nothing is cached."""
    if connection.in_atomic_block:
        return None
    found = cache.get(_key(project_id, value, mark))
    return _with_tail(found, project_id, value, mark) if isinstance(found, Hits) else found


def fetch(project_id: int, value: str, mark: Mark) -> Hits | str:
    """The matches (with the tail's), read from the side table and cached, or TOO_MANY."""
    from .search import like_sql

    likes, patterns = like_sql(value, "text")
    # the array literal is built by PostgreSQL: one string instead of 10,000 rows of Python objects
    # (allocating them made every few first searches ~50 ms slower in the cyclic GC: at 1M, p95 of
    # the first search 115 ms before, 61-67 ms after)
    matches = f"SELECT task_id FROM {SIDE_TABLE} WHERE project_id = %s AND task_id <= %s AND ({likes}) LIMIT %s"  # noqa: S608
    sql = f"SELECT count(*), '{{' || coalesce(string_agg(task_id::text, ',' ORDER BY task_id), '') || '}}' FROM ({matches}) m"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [project_id, mark.indexed, *patterns, HITS_MAX + 1])
        count, ids = cursor.fetchone()
    found: Hits | str = TOO_MANY if count > HITS_MAX else Hits(ids, count)
    if not connection.in_atomic_block:
        cache.set(_key(project_id, value, mark), found, TTL)
    return _with_tail(found, project_id, value, mark) if isinstance(found, Hits) else found


def _with_tail(found: Hits, project_id: int, value: str, mark: Mark) -> Hits:
    """``found`` plus the matching tasks above the watermark (all above every cached id)."""
    if mark.top <= mark.indexed:
        return found
    from .search import like_sql

    likes, patterns = like_sql(value, "data::text")
    sql = f"SELECT id FROM tasks_task WHERE project_id = %s AND id > %s AND id <= %s AND ({likes}) ORDER BY id"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [project_id, mark.indexed, mark.top, *patterns])
        tail = [r[0] for r in cursor.fetchall()]
    if not tail:
        return found
    head = found.ids[1:-1]
    return Hits("{" + ",".join(([head] if head else []) + [str(i) for i in tail]) + "}", found.count + len(tail))


def _key(project_id: int, value: str, mark: Mark) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"search-hits:{project_id}:{mark.indexed}:{mark.stamp}:{digest}"


# --- reading a queryset that carries cached matches -----------------------------------------------
def is_hits_node(child: Any) -> bool:
    """Whether ``child`` (a node of a query's WHERE) is the ``id = ANY(cached matches)`` filter."""
    lhs = getattr(child, "lhs", None)
    return getattr(lhs, "sql", None) == HITS_SQL


def hits_node(qs: Any) -> Any:
    return next((c for c in qs.query.where.children if is_hits_node(c)), None)


def without_hits(qs: Any) -> Any:
    """``qs`` without its matches filter: for fetching rows whose ids were read through it."""
    qs = qs.all()
    qs.query.where.children = [c for c in qs.query.where.children if not is_hits_node(c)]
    return qs


def hits_count(qs: Any) -> int | None:
    """How many tasks a search through cached matches found (None: not such a search)."""
    alias = qs.query.annotations.get("_text_hits")
    return int(alias.value) if alias is not None else None


def ids_of(qs: Any) -> list[int]:
    """The (ascending) ids of the cached matches ``qs`` is filtered by."""
    node = hits_node(qs)
    inner = node.lhs.params[0][1:-1] if node is not None else ""
    return [int(i) for i in inner.split(",")] if inner else []


#: index entries a page's walk may read per match before it gives up on finding the page that
#: way (and at least WALK_BUDGET): matches clustered at the far end of the sort (a batch imported
#: first, sorted newest first) would make it read the whole project. An index-only entry costs
#: ~0.08 µs, the fallback (each match's row by primary key) ~6 µs a match with the rows out of
#: PostgreSQL's buffers (1M tasks, 10,000 matches: 65 ms): a walk of 50 entries a match costs less.
WALK_PER_MATCH, WALK_BUDGET = 50, 20_000


def page_ids(qs: Any, start: int, size: int) -> list[int]:
    """Ids ``start``..``start + size`` of ``qs`` (filtered by cached matches, ordered): a walk of
    the sort's index bounded to ``start`` + WALK_PER_MATCH entries a match (at least WALK_BUDGET),
    or, when that finds less than a page, every match's row by primary key, sorted. Orders other
    than plain columns are walked without a bound."""
    order = [str(o) for o in qs.query.order_by]
    if not order or not all(o.lstrip("-").isidentifier() and "__" not in o for o in order):
        return list(qs.values_list("id", flat=True)[start : start + size])
    node = hits_node(qs)
    columns = [o.lstrip("-") for o in order]
    order_sql = ", ".join(f'"{c}" DESC' if o.startswith("-") else f'"{c}"' for o, c in zip(order, columns, strict=True))
    columns = [c for c in dict.fromkeys(columns) if c != "id"]
    matches = hits_count(qs)
    if matches == 0:
        return []
    budget = max(WALK_BUDGET, WALK_PER_MATCH * (matches or 0))
    walk = without_hits(qs).values_list("id", *columns)[: start + budget]
    sql, params = walk.query.sql_with_params()
    with connection.cursor() as cursor:
        # the filter above the walk's LIMIT keeps its order and stops the walk at the page; the test
        # is a column of the fenced subquery (OFFSET 0), so the planner does not estimate ``= ANY``
        # over thousands of ids (~0.3 µs an id: 3 ms for 10,000) for a plan it has no choice in
        cursor.execute(
            f"SELECT m.id FROM (SELECT w.id, w.id = ANY(%s::bigint[]) AS hit FROM ({sql}) w OFFSET 0) m"  # noqa: S608
            " WHERE m.hit OFFSET %s LIMIT %s",
            [node.lhs.params[0], *params, start, size],
        )
        found = [r[0] for r in cursor.fetchall()]
        if len(found) == size:
            return found
        # a short page: the list's last (the walk read all of it), or the budget was spent first
        cursor.execute(f"SELECT count(*) FROM ({sql}) w", params)  # noqa: S608 - the same walk, index-only
        if cursor.fetchone()[0] < start + budget:
            return found
    # the budget spent before the page was found: every match, each by its primary key (a LATERAL
    # probe per id: never a scan of the table, whatever the planner thinks of a large share of a
    # small table), then sorted
    probe = without_hits(qs).order_by().filter(id=RawSQL("h.id", [])).values_list("id", *columns)
    each, params = probe.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT m.id FROM unnest(%s::bigint[]) h(id) CROSS JOIN LATERAL ({each} LIMIT 1) m"  # noqa: S608
            f" ORDER BY {order_sql} OFFSET %s LIMIT %s",
            [node.lhs.params[0], *params, start, size],
        )
        return [r[0] for r in cursor.fetchall()]
