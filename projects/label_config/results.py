"""Completion and prediction results against a config.

``validate_result`` returns every problem as a ``ResultError(index, field, message)``; it never
raises on bad input. Region items name their control (``from_name``) and object (``to_name``);
relation items (``type: "relation"``) link two region ids instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import ResultError
from .repeater import template_name
from .tags import ControlTag
from .tags.controls import Taxonomy
from .values import Json, Problems, is_number, show

if TYPE_CHECKING:  # config.py imports this module
    from .config import LabelConfig

RELATION_DIRECTIONS = ("right", "left", "bi")


def validate_result(config: LabelConfig, result: object, data: Json | None = None) -> list[ResultError]:
    if not isinstance(result, list):
        return [ResultError(None, "", f"expected a list of result items, got {show(result)}")]
    errors: list[ResultError] = []
    region_ids = {item.get("id") for item in result if isinstance(item, dict) and item.get("type") != "relation"}
    for index, item in enumerate(result):
        if not isinstance(item, dict):
            errors.append(ResultError(index, "", f"expected an object, got {show(item)}"))
            continue
        if item.get("type") == "relation":
            problems = _relation(config, item, region_ids)
        else:
            problems = _item(config, item, data)
        problems += _common(item)
        errors.extend(ResultError(index, field, message) for field, message in problems)
    return errors


def _common(item: Json) -> Problems:
    problems: Problems = []
    if "id" in item and not isinstance(item["id"], str | int):
        problems.append(("id", f"expected a string, got {show(item['id'])}"))
    if item.get("score") is not None and not is_number(item["score"]):
        problems.append(("score", f"expected a number, got {show(item['score'])}"))
    index = item.get("item_index")  # the page of an <Image valueList> the region is on
    if index is not None and (isinstance(index, bool) or not isinstance(index, int) or index < 0):
        problems.append(("item_index", f"expected the 0-based index of an image in the list, got {show(index)}"))
    if "origin" in item and not isinstance(item["origin"], str):
        problems.append(("origin", f"expected a string, got {show(item['origin'])}"))
    return problems


def _targets(control: ControlTag, to_name: str) -> list[str] | None:
    """Objects named by ``to_name`` if the control points at them, else None."""
    parts = [p.strip() for p in to_name.split(",") if p.strip()]
    if not control.to_names and "toName" not in control.required:  # e.g. a <Rating> of the whole task
        return [to_name]
    if control.min_targets > 1:  # Pairwise: its own name (Label Studio's habit) or all of its objects
        return control.to_names if to_name == control.name or set(parts) == set(control.to_names) else None
    if parts and all(p in control.to_names for p in parts):
        return parts
    return None


def _item(config: LabelConfig, item: Json, data: Json | None) -> Problems:
    from_name, to_name, rtype = item.get("from_name"), item.get("to_name"), item.get("type")
    if not isinstance(from_name, str):
        return [("from_name", f"expected the name of a control, got {show(from_name)}")]
    if config.repeat_flags:  # <Repeater>: "labels_0" is the config's "labels_{{idx}}"
        from_name = template_name(config, from_name, config.controls)
        if isinstance(to_name, str):
            to_name = ",".join(template_name(config, p.strip(), config.objects) for p in to_name.split(","))
    control = config.controls.get(from_name)
    if control is None:
        return [("from_name", f"{from_name!r} names no control; expected one of {show(list(config.controls))}")]
    targets = _targets(control, to_name) if isinstance(to_name, str) else None
    if targets is None:
        return [
            ("to_name", f"expected one of {show(control.to_names)} (the toName of {from_name!r}), got {show(to_name)}")
        ]
    if not control.result_types:  # a tool (MagicWand) whose regions belong to another control
        return [("from_name", f"<{control.tag_name}> {from_name!r} writes no results of its own")]
    if rtype not in control.result_types:
        expected = " or ".join(repr(t) for t in control.result_types)
        return [("type", f"expected {expected} for <{control.tag_name}>, got {show(rtype)}")]
    value = item.get("value")
    if not isinstance(value, dict):
        return [("value", f"expected an object, got {show(value)}")]
    if isinstance(control, Taxonomy) and control.dynamic_labels:  # options from the task, if given
        return control.check_paths(value, control.task_tree(data))
    target = config.objects.get(targets[0])
    text = None
    if data and target is not None and target.span_kind == "offsets" and not target.value_is_url():
        key = target.value_key
        text = data.get(key) if key else None
    return control.check_value(value, rtype, target, text if isinstance(text, str) else None)


def _relation(config: LabelConfig, item: Json, region_ids: set[object]) -> Problems:
    problems: Problems = []
    for key in ("from_id", "to_id"):
        got = item.get(key)
        if not isinstance(got, str | int):
            problems.append((key, f"expected the id of a region in this result, got {show(got)}"))
        elif got not in region_ids:
            problems.append((key, f"{got!r} is not the id of a region in this result"))
    direction = item.get("direction", "right")
    if direction not in RELATION_DIRECTIONS:
        problems.append(("direction", f'expected "right", "left" or "bi", got {show(direction)}'))
    labels = item.get("labels", [])
    allowed = config.relation_labels
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        problems.append(("labels", f"expected a list of strings, got {show(labels)}"))
    else:
        for i, label in enumerate(labels):
            if label not in allowed:
                expected = f"one of {show(allowed)}" if allowed else "no labels (the config has no <Relations>)"
                problems.append((f"labels[{i}]", f"expected {expected}, got {show(label)}"))
                break
    return problems
