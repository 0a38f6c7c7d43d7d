"""Reads for the data manager page: filtered tasks, one keyset page at a time.

Pages are fetched with a cursor on (sort value, id), so page 10,000 costs the same as page 1 and no
page needs a COUNT(*) over the project's tasks: we read one row more than the page to know whether
there is a next page. Filters are tasks.filters.TaskFilter (the same as the API's).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from itertools import combinations

from django.db.models import Q, QuerySet

from . import score_order
from .filters import TaskFilter
from .selectors import project_walk, task_offset_page

SORTS = {
    "id": "id",
    "completions": "total_annotations",
    "predictions": "total_predictions",
    "updated": "updated_at",
    "created": "created_at",
    "score": "prediction_score",  # model score, tasks without one last either way (score_order.py)
}
FILTER_PARAMS = (
    "text",
    "is_labeled",
    "annotator",
    "has_ground_truth",
    "review_status",
    "model_version",
    "prediction_score_min",
    "prediction_score_max",
)


@dataclass
class TaskPage:
    tasks: list
    next_cursor: str | None
    prev_cursor: str | None
    sort: str
    desc: bool
    extras: dict = field(default_factory=dict)


def encode_cursor(value, pk: int) -> str:
    raw = json.dumps([value.isoformat() if hasattr(value, "isoformat") else value, pk])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str):
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        return value, int(pk)
    except (ValueError, TypeError):
        return None


@dataclass
class _Asker:
    user: object


def filtered_tasks(qs: QuerySet, params, user=None) -> QuerySet:
    """Apply the data manager's filters (a QueryDict or dict of the FILTER_PARAMS); filters on
    completions only see the ones ``user`` may read (no user: all, for internal callers)."""
    data = {k: params.get(k) for k in FILTER_PARAMS if params.get(k) not in (None, "")}
    return TaskFilter(data, queryset=qs, request=_Asker(user) if user is not None else None).qs


def task_page(
    qs: QuerySet, *, sort: str = "id", desc: bool = False, after: str = "", before: str = "", size: int = 50
) -> TaskPage:
    """One page of ``qs`` ordered by ``sort`` (then id); ``after``/``before`` are cursors."""
    sort = sort if sort in SORTS else "id"
    column = SORTS[sort]
    forward = not before
    cursor = decode_cursor(after if forward else before)
    ascending = (not desc) == forward  # walking backwards flips the order
    if column == score_order.FIELD:
        rows = score_order.keyset_rows(
            qs, ascending=ascending, forward=forward, cursor=cursor, limit=size + 1, bound=_after, read=task_offset_page
        )
    else:
        if cursor:
            qs = _after(qs, column, cursor[0], cursor[1], ascending)
        order = [column, "id"] if column != "id" else ["id"]
        qs = project_walk(qs.order_by(*[o if ascending else f"-{o}" for o in order]))
        rows = task_offset_page(qs, 0, size + 1)  # (a search through cached matches: ids, then rows)
    more = len(rows) > size
    rows = rows[:size]
    if not forward:
        rows.reverse()
    first, last = (rows[0], rows[-1]) if rows else (None, None)
    has_next = more if forward else bool(cursor)
    has_prev = bool(cursor) if forward else more
    return TaskPage(
        tasks=rows,
        next_cursor=encode_cursor(getattr(last, column), last.pk) if rows and has_next else None,
        prev_cursor=encode_cursor(getattr(first, column), first.pk) if rows and has_prev else None,
        sort=sort,
        desc=desc,
    )


def _after(qs: QuerySet, column: str, value, pk: int, ascending: bool) -> QuerySet:
    """The rows of ``qs`` past the cursor (value, pk) in the order (column, id), ``ascending`` or not."""
    if column == "id":
        return qs.filter(Q(id__gt=pk) if ascending else Q(id__lt=pk))
    gt, lt = f"{column}__gt", f"{column}__lt"
    return qs.filter(
        Q(**{gt if ascending else lt: value}) | Q(**{column: value}, **{"id__gt" if ascending else "id__lt": pk})
    )


def page_extras(task_ids: list[int], *, user=None, see_all: bool = True) -> dict[int, dict]:
    """Per-task review state, ground truth, annotators and agreement for one page of tasks. With
    ``see_all`` False, only ``user``'s own completions count (no names, no agreement of others)."""
    # listed layering exception, lazy so tasks loads on its own: data-manager columns count completions
    from annotators.models import Completion

    extras: dict[int, dict] = {
        pk: {"review": {}, "ground_truth": False, "annotators": [], "agreement": None, "results": []} for pk in task_ids
    }
    completions = Completion.objects.filter(task_id__in=task_ids)
    if not see_all:
        completions = completions.filter(completed_by=user)
    completions = (
        completions.select_related("completed_by")
        .only("task_id", "result", "was_cancelled", "ground_truth", "review_status", "completed_by__username")
        .order_by("task_id", "id")
    )
    for c in completions:
        row = extras[c.task_id]
        if c.ground_truth:
            row["ground_truth"] = True
        if c.was_cancelled:
            continue
        row["annotators"].append(c.completed_by.username)
        state = c.review_status or "pending"
        row["review"][state] = row["review"].get(state, 0) + 1
        row["results"].append(c.result or [])
    for row in extras.values():
        results = row.pop("results")
        if len(results) >= 2:
            row["agreement"] = _mean_pairwise(results)
        row["review_label"] = _review_label(row["review"])
    return extras


def _mean_pairwise(results: list[list]) -> float | None:
    # listed layering exception, lazy so tasks loads on its own: the agreement column
    from annotators.agreement import compare

    scores = [compare(a, b)[0] for a, b in combinations(results, 2)]
    scores = [s for s in scores if s is not None]
    return round(sum(scores) / len(scores), 3) if scores else None


def _review_label(review: dict) -> str:
    if not review:
        return ""
    if review.get("rejected"):
        return "rejected"
    if review.get("pending"):
        return "pending"
    if review.get("fixed"):
        return "fixed"
    return "accepted"
