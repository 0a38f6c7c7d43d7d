"""Label Studio's data-manager query language on our tasks: ``filters`` ({"conjunction": "and"|"or",
"items": [{"filter": "filter:tasks:<column>", "operator": ..., "type": ..., "value": ...}]}),
``selectedItems`` ({"all": false, "included": [ids]} or {"all": true, "excluded": [ids]}) and
``ordering`` (["tasks:id"] or ["-tasks:total_annotations"]). Used by the task list's ``query``
and ``view`` parameters, saved views (/api/dm/views) and actions (/api/dm/actions).

A filter on a column we do not have, or an operator we do not know, is a 400 naming it: a client
must never get a silently unfiltered list (a "delete tasks" action on it would be a disaster)."""

from __future__ import annotations

import json
import operator
from functools import reduce

from django.db.models import Exists, OuterRef, Q, QuerySet

from labelstudio.core.exceptions import ApplicationError

from . import score_order

COLUMNS = {  # LS column -> our Task field
    "id": "id",
    "inner_id": "id",
    "total_annotations": "total_annotations",
    "cancelled_annotations": "cancelled_annotations",
    "total_predictions": "total_predictions",
    "created_at": "created_at",
    "updated_at": "updated_at",
    "is_labeled": "is_labeled",
    "predictions_score": "prediction_score",  # the average of the scores, as Label Studio's (tasks/score_order.py)
}
SPECIAL = {"completed_at", "annotators", "ground_truth", "predictions_model_versions"}
COMPARE = {"equal": "exact", "less": "lt", "greater": "gt", "less_or_equal": "lte", "greater_or_equal": "gte"}


def _column(item) -> str:
    name = str(item.get("filter", ""))
    prefix = "filter:tasks:"
    if not name.startswith(prefix):
        raise ApplicationError(f"unknown data manager filter {name!r}", field="filters", filter=name)
    return name[len(prefix) :]


def _lookup(field: str, op: str, value, name: str) -> Q:
    if op in COMPARE:
        return Q(**{f"{field}__{COMPARE[op]}": value})
    if op == "not_equal":
        return ~Q(**{field: value})
    if op in ("in", "not_in"):
        if not isinstance(value, dict) or "min" not in value or "max" not in value:
            raise ApplicationError(f"filter {name}: operator {op} needs a value {{min, max}}", field="filters")
        q = Q(**{f"{field}__gte": value["min"], f"{field}__lte": value["max"]})
        return q if op == "in" else ~q
    if op in ("in_list", "not_in_list"):
        q = Q(**{f"{field}__in": list(value or [])})
        return q if op == "in_list" else ~q
    if op in ("contains", "not_contains"):
        q = Q(**{f"{field}__icontains": value})
        return q if op == "contains" else ~q
    if op == "regex":
        return Q(**{f"{field}__regex": value})
    if op == "empty":
        q = Q(**{f"{field}__isnull": True})
        if not field.startswith("data__"):
            return q if value in (True, "true") else ~q
        q = q | Q(**{field: ""})
        return q if value in (True, "true") else ~q
    raise ApplicationError(f"filter {name}: unknown operator {op!r}", field="filters", operator=op)


def _special(column: str, op: str, value, name: str, completions=None) -> Q:
    # listed layering exception, lazy so tasks loads on its own: data-manager filters read completions, predictions
    from annotators.models import Completion
    from ml_backends.models import Prediction

    completions = Completion.objects.all() if completions is None else completions
    if column == "completed_at" and op == "empty":  # set once the task has its overlap of answers
        return Q(is_labeled=value not in (True, "true"))
    if column == "annotators":
        ids = value if isinstance(value, list) else [value]
        has = Exists(completions.filter(task=OuterRef("pk"), completed_by_id__in=ids))
        if op in ("contains", "equal", "in_list"):
            return Q(has)
        if op in ("not_contains", "not_equal", "not_in_list"):
            return ~Q(has)
    if column == "ground_truth" and op == "equal":
        has = Exists(completions.filter(task=OuterRef("pk"), ground_truth=True))
        return Q(has) if value in (True, "true") else ~Q(has)
    if column == "predictions_model_versions":
        versions = value if isinstance(value, list) else [value]
        has = Exists(Prediction.objects.filter(task=OuterRef("pk"), model_version__in=versions))
        if op in ("contains", "equal", "in_list"):
            return Q(has)
        if op in ("not_contains", "not_equal", "not_in_list"):
            return ~Q(has)
    raise ApplicationError(f"filter {name}: operator {op!r} is not supported on this column", field="filters")


def filter_q(filters, completions=None) -> Q | None:
    """``completions``: the ones the asker may read (annotators/ground-truth filters must not tell
    an annotator what the others labeled); None means all, for managers' and internal callers."""
    if not filters:
        return None
    items = filters.get("items") or []
    if not items:
        return None
    parts = []
    for item in items:
        column, op, value = _column(item), item.get("operator"), item.get("value")
        name = item.get("filter")
        if column.startswith("data."):
            parts.append(_lookup("data__" + column[5:].replace(".", "__"), op, value, name))
        elif column in COLUMNS:
            parts.append(_lookup(COLUMNS[column], op, value, name))
        elif column in SPECIAL:
            parts.append(_special(column, op, value, name, completions))
        else:
            raise ApplicationError(f"unknown data manager filter {name!r}", field="filters", filter=name)
    join = operator.or_ if str(filters.get("conjunction", "and")).lower() == "or" else operator.and_
    return reduce(join, parts)


def apply_selected(qs: QuerySet, selected) -> QuerySet:
    if not selected:
        return qs
    if selected.get("all"):
        excluded = selected.get("excluded") or []
        return qs.exclude(pk__in=excluded) if excluded else qs
    return qs.filter(pk__in=selected.get("included") or [])


def apply_ordering(qs: QuerySet, ordering) -> QuerySet:
    if not ordering:
        return qs
    key = ordering[0] if isinstance(ordering, list) else ordering
    desc = key.startswith("-")
    column = key.lstrip("-").removeprefix("tasks:")
    field = COLUMNS.get(column) or ("data__" + column[5:] if column.startswith("data.") else None)
    if field is None:
        raise ApplicationError(f"unknown ordering {key!r}", field="ordering")
    if field == score_order.FIELD:
        return score_order.ordered(qs, desc=desc)
    return qs.order_by(f"-{field}" if desc else field, "id")


def apply_query(qs: QuerySet, *, filters=None, selected=None, ordering=None, completions=None) -> QuerySet:
    q = filter_q(filters, completions)
    if q is not None:
        qs = qs.filter(q)
    return apply_ordering(apply_selected(qs, selected), ordering)


def parse_query(raw) -> dict:
    """The task list's ``query`` parameter: a JSON object (or already-decoded dict)."""
    if not raw:
        return {}
    if isinstance(raw, dict):
        return raw
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise ApplicationError("query must be a JSON object", field="query") from exc
    if not isinstance(value, dict):
        raise ApplicationError("query must be a JSON object", field="query")
    return value
