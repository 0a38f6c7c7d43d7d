"""Ordering by model score (``Task.prediction_score``, Label Studio's ``predictions_score``), with
tasks without a scored prediction last in either direction, as Label Studio's data manager puts
them (``nulls_last`` both ways).

One btree on (project, prediction_score, id) gives "scored ascending, then unscored" but not
"scored descending, then unscored" (its backward walk puts NULLs first). So pages are read in two
segments, each an index range scan in either direction: the scored tasks by (score, id), then the
unscored ones by id (``prediction_score IS NULL`` is an index condition on the same index). The
order is the one ``ordered`` gives in SQL: score (NULLs last), then id in the same direction.

The unscored segment is ordered by (score, id) too, although its score is NULL throughout: by id
alone the planner may walk the primary key and filter, stepping over every other project's task
below this project's first one (a project imported after a 100k one: 100,000 rows per page).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import F, OrderBy, QuerySet

FIELD = "prediction_score"
#: Label Studio's name (its data manager's column and the API's ``ordering``) -> ours
NAMES = {"predictions_score": FIELD, FIELD: FIELD}


def ordered(qs: QuerySet, *, desc: bool) -> QuerySet:
    """``qs`` by score, NULLs last either way, then id in the same direction."""
    score = F(FIELD).desc(nulls_last=True) if desc else F(FIELD).asc(nulls_last=True)
    return qs.order_by(score, "-id" if desc else "id")


def score_order_of(qs: QuerySet) -> bool | None:
    """None if ``qs`` is not ordered by ``ordered``; else whether it is descending."""
    first = qs.query.order_by[0] if qs.query.order_by else None
    if isinstance(first, OrderBy) and getattr(first.expression, "name", None) == FIELD:
        return bool(first.descending)
    return None


def offset_page(qs: QuerySet, start: int, size: int, page: Callable[[QuerySet, int, int], list]) -> list:
    """Rows ``start``..``start + size`` of a score-ordered ``qs``, by ``page`` (an offset reader,
    selectors.task_offset_page) over the scored segment, then the unscored one. Past the scored
    tasks the offset into the unscored ones needs their count: an index-only count of the scored."""
    desc = score_order_of(qs)
    # plain (score, id) on the scored: "DESC NULLS LAST" is not an order the index has, although
    # without NULLs it is the same one
    scored = qs.filter(**{f"{FIELD}__isnull": False}).order_by(*([f"-{FIELD}", "-id"] if desc else [FIELD, "id"]))
    rows = page(scored, start, size)
    if len(rows) == size:
        return rows
    n_scored = start + len(rows) if rows or start == 0 else scored.order_by().count()
    unscored = qs.filter(**{f"{FIELD}__isnull": True}).order_by(*([f"-{FIELD}", "-id"] if desc else [FIELD, "id"]))
    return rows + page(unscored, max(0, start - n_scored), size - len(rows))


def keyset_rows(
    qs: QuerySet,
    *,
    ascending: bool,
    forward: bool,
    cursor: tuple[Any, int] | None,
    limit: int,
    bound: Callable[[QuerySet, str, Any, int, bool], QuerySet],
    read: Callable[[QuerySet, int, int], list],
) -> list:
    """Up to ``limit`` rows of ``qs`` after (``forward``) or before a cursor (score, id) of the data
    manager's keyset pages; ``ascending`` is the direction of this walk (already flipped when
    walking backwards); ``bound(qs, column, value, pk, ascending)`` keeps the rows past the cursor
    within a segment; ``read(qs, start, size)`` reads rows (selectors.task_offset_page). A cursor
    whose score is None lies in the unscored segment."""
    segments = [(qs.filter(**{f"{FIELD}__isnull": False}), FIELD), (qs.filter(**{f"{FIELD}__isnull": True}), "id")]
    at = None if cursor is None else (0 if cursor[0] is not None else 1)
    walk = [0, 1] if forward else [1, 0]
    if at is not None:  # the segments before the cursor's one (in this walk) are behind it
        walk = walk[walk.index(at) :]
    rows: list = []
    for i in walk:
        part, column = segments[i]
        if i == at:
            assert cursor is not None
            value, pk = cursor
            part = bound(part, column, pk if column == "id" else value, pk, ascending)
        part = part.order_by(*[o if ascending else f"-{o}" for o in (FIELD, "id")])  # (module doc: both segments)
        rows += read(part, 0, limit - len(rows))
        if len(rows) >= limit:
            break
    return rows
