"""Flat records shared by JSON-MIN and CSV/TSV: one record per completion with the task's data
keys, one key per control and who/when. Values follow Label Studio's converter: a control with a
single choice or a single text becomes that string, anything else a list of region values.
"""

from __future__ import annotations

import copy

from .schema import Schema

META_KEYS = ("annotator", "annotation_id", "created_at", "updated_at", "lead_time")


def control_values(result: list, schema: Schema) -> dict:
    """``{control name: value}`` for one completion's result (unknown controls are left out)."""
    tags = {c.name: c.tag for c in schema.controls}
    grouped: dict[str, list] = {}
    for item in result or []:
        if not isinstance(item, dict) or item.get("from_name") not in tags or not isinstance(item.get("value"), dict):
            continue
        value = copy.copy(item["value"])
        for key in ("original_width", "original_height"):
            if key in item:
                value[key] = item[key]
        grouped.setdefault(item["from_name"], []).append(value)
    return {name: _pretty(values, tags[name]) for name, values in grouped.items()}


def _pretty(values: list[dict], tag: str):
    out = []
    for value in values:
        if tag == "Choices" and isinstance(value.get("choices"), list) and len(value["choices"]) == 1:
            out.append(value["choices"][0])
        elif tag == "TextArea" and isinstance(value.get("text"), list) and len(value["text"]) == 1:
            out.append(value["text"][0])
        else:
            out.append(value)
    return out[0] if tag in ("Choices", "TextArea") and len(out) == 1 else out


def records(task: dict, schema: Schema):
    """One flat record per completion; a task without completions gives one record without answers."""
    completions = task.get("annotations") or [None]
    for completion in completions:
        record = dict(task["data"]) if isinstance(task.get("data"), dict) else {}
        record["id"] = task["id"]
        if completion is not None:
            record.update(control_values(completion.get("result"), schema))
        completion = completion or {}
        annotator = completion.get("completed_by")
        record["annotator"] = annotator.get("email") if isinstance(annotator, dict) else annotator
        record["annotation_id"] = completion.get("id")
        record["created_at"] = completion.get("created_at")
        record["updated_at"] = completion.get("updated_at")
        record["lead_time"] = completion.get("lead_time")
        yield record
