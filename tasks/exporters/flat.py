"""Flat records shared by JSON-MIN and CSV/TSV: one record per completion with the task's data
keys, one key per control and who/when. Values follow Label Studio's converter: a control with a
single choice or a single text becomes that string, anything else a list of region values.

``answered(task)`` is the converter's reading of a task, shared by every format except JSON/JSONL:
a task exported without completions gives one record without answers; otherwise its skipped
(cancelled) completions are left out, the others come newest first, and a task whose exported
completions were all skipped gives nothing.
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


def answered(task: dict) -> list[dict | None]:
    """``[None]`` for a task exported without completions (one record without answers), else its
    not-skipped completions newest first (``created_at``; equal times keep their order) — ``[]``
    when all were skipped, as Label Studio's converter reads an export."""
    completions = task.get("annotations") or []
    if not completions:
        return [None]
    kept = [c for c in completions if not (c.get("was_cancelled") or c.get("skipped"))]
    return sorted(kept, key=lambda c: _text(c.get("created_at")), reverse=True)


def _text(value) -> str:
    if value is None or isinstance(value, str):
        return value or ""
    return value.isoformat().replace("+00:00", "Z")


def annotator(completion: dict | None, *, as_text: bool):
    """Label Studio's ``annotator`` field: the email when users are expanded, else the user id
    (as text in CSV/TSV, a number in JSON-MIN); nothing for a record without a completion."""
    user = (completion or {}).get("completed_by", {})
    if isinstance(user, dict):
        return user.get("email")
    return str(user) if as_text else user


def records(task: dict, schema: Schema, *, annotator_as_text: bool = False):
    """One flat record per completion of ``answered(task)``."""
    for completion in answered(task):
        record = dict(task["data"]) if isinstance(task.get("data"), dict) else {}
        record["id"] = task["id"]
        if completion is not None:
            record.update(control_values(completion.get("result"), schema))
        record["annotator"] = annotator(completion, as_text=annotator_as_text)
        completion = completion or {}
        record["annotation_id"] = completion.get("id")
        record["created_at"] = completion.get("created_at")
        record["updated_at"] = completion.get("updated_at")
        record["lead_time"] = completion.get("lead_time")
        yield record
