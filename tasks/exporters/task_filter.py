"""The data manager's filter spec, as far as exports need it, turned into a ``Q`` on tasks.

Spec (Label Studio's): ``{"conjunction": "and"|"or", "items": [{"filter": "filter:tasks:<field>",
"operator": ..., "value": ...}]}``. Fields: ``id``, ``data.<key>``, ``total_annotations``,
``cancelled_annotations``, ``total_predictions``, ``is_labeled``, ``created_at``, ``updated_at``,
``annotators`` (user ids). When the data manager grows its own filter module, this one should
delegate to it.
"""

from __future__ import annotations

from django.db.models import Q

from labelstudio.core.exceptions import ApplicationError

FIELDS = {
    "id": "id",
    "total_annotations": "total_annotations",
    "cancelled_annotations": "cancelled_annotations",
    "total_predictions": "total_predictions",
    "is_labeled": "is_labeled",
    "created_at": "created_at",
    "updated_at": "updated_at",
}
LOOKUPS = {
    "equal": "exact",
    "not_equal": "exact",
    "contains": "icontains",
    "not_contains": "icontains",
    "less": "lt",
    "greater": "gt",
    "less_or_equal": "lte",
    "greater_or_equal": "gte",
    "regex": "regex",
}
NEGATED = {"not_equal", "not_contains", "not_in"}


def filters_q(spec: dict) -> Q:
    """``Q`` for a filter spec; a bad item is a 400 that names it."""
    items = spec.get("items") or []
    conjunction = str(spec.get("conjunction", "and")).lower()
    if conjunction not in ("and", "or"):
        raise ApplicationError('filters.conjunction must be "and" or "or"', field="filters")
    combined = Q()
    for index, item in enumerate(items):
        q = _item_q(item, index)
        combined = (combined | q) if conjunction == "or" and combined else (combined & q)
    return combined


def _item_q(item: dict, index: int) -> Q:
    where = f"filters.items[{index}]"
    if not isinstance(item, dict):
        raise ApplicationError(f"{where}: expected an object with filter, operator, value", field="filters")
    name = str(item.get("filter", "")).removeprefix("filter:").removeprefix("tasks:")
    operator = item.get("operator", "equal")
    value = item.get("value")
    if name == "annotators":
        # listed layering exception, lazy so tasks loads on its own: export filters on completions
        from annotators.models import Completion

        ids = value if isinstance(value, list) else [value]
        q = Q(pk__in=Completion.objects.filter(completed_by__in=ids).values("task_id"))
        return ~q if operator in NEGATED else q
    if name.startswith("data."):
        path = "data__" + "__".join(name[5:].split("."))
    elif name in FIELDS:
        path = FIELDS[name]
    else:
        known = ", ".join([*FIELDS, "annotators", "data.<key>"])
        raise ApplicationError(f"{where}: unknown filter {item.get('filter')!r}; known: {known}", field="filters")
    if operator == "empty":
        empty = Q(**{f"{path}__isnull": True})
        if path.startswith("data__"):
            empty |= Q(**{path: ""})
        return empty if value in (True, "true", 1) else ~empty
    if operator in ("in", "not_in"):
        if isinstance(value, dict):
            q = Q(**{f"{path}__gte": value.get("min"), f"{path}__lte": value.get("max")})
        elif isinstance(value, list):
            q = Q(**{f"{path}__in": value})
        else:
            raise ApplicationError(f"{where}: operator {operator} needs {{min, max}} or a list", field="filters")
    elif operator in LOOKUPS:
        q = Q(**{f"{path}__{LOOKUPS[operator]}": value})
    else:
        raise ApplicationError(
            f"{where}: unknown operator {operator!r}; known: {', '.join([*LOOKUPS, 'in', 'not_in', 'empty'])}",
            field="filters",
        )
    return ~q if operator in NEGATED else q
