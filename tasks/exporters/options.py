"""Export options: one flat, validated dataclass, built from our API's keys or from Label Studio's
nested ``annotation_filter_options`` / ``task_filter_options`` / ``serialization_options``.

The options are stored with the job (``Job.params["options"]``) so a file can always be explained.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime

from django.utils.dateparse import parse_datetime

from labelstudio.core.exceptions import ApplicationError

ONE_PER_TASK = ("latest", "majority")
ONLY_OR_EXCLUDE = ("only", "exclude")
COMPLETION_KINDS = ("usual", "ground_truth", "skipped")


@dataclass
class ExportOptions:
    # which completions
    only_ground_truth: bool = False
    # Label Studio's annotation kinds: completions of any of these kinds (usual = neither skipped nor
    # ground truth, ground_truth, skipped); None: all (its annotation_filter_options)
    completion_kinds: list[str] | None = None
    only_accepted: bool = False  # Completion.review_status == "accepted"
    include_cancelled: bool = True  # skipped completions (`was_cancelled`): a JSON export is lossless
    annotator_ids: list[int] | None = None
    one_per_task: str | None = None  # ground truth first, else "latest" or "majority"
    # which tasks
    only_completed: bool = False  # drop tasks left without an exported completion
    task_ids: list[int] | None = None
    filters: dict | None = None  # {conjunction, items: [{filter, operator, value}]} or tasks.filters params
    annotated: str | None = None  # only|exclude tasks with a submitted completion
    finished: str | None = None  # only|exclude labeled tasks (is_labeled)
    skipped: str | None = None  # only|exclude tasks with a cancelled completion
    changed_since: str | None = None  # ISO time: tasks whose task, completions or predictions changed after it
    # what goes in the file
    include_predictions: bool = True
    include_images: bool = False  # copy image/audio files into the archive
    archive: bool = False  # zip even a single-file format
    expand_users: bool = False  # completed_by as {id, email, first_name, last_name}
    labels_control: str | None = None  # CONLL2003: which Labels control (default: the first on the text)
    interpolate_key_frames: bool = False  # video tracks: one box per frame (Label Studio's option)

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v != _DEFAULTS[k]}

    @property
    def since(self) -> datetime | None:
        return parse_datetime(self.changed_since) if self.changed_since else None

    @classmethod
    def from_dict(cls, raw: dict | None) -> ExportOptions:
        """Validate user input; unknown keys and wrong types are a 400 naming the option."""
        raw = dict(raw or {})
        raw.update(_from_label_studio(raw))
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(raw) - set(known))
        if unknown:
            raise ApplicationError(
                f"unknown export option(s): {', '.join(unknown)}; known: {', '.join(known)}", field="options"
            )
        values = {}
        for name, value in raw.items():
            if value is None:
                continue
            values[name] = _check(name, known[name].type, value)
        return cls(**values)


_DEFAULTS = asdict(ExportOptions())

LS_KEYS = ("annotation_filter_options", "task_filter_options", "serialization_options", "download_all_tasks", "ids")


def _from_label_studio(raw: dict) -> dict:
    """Translate Label Studio's option shapes (its SDK and UI send them) into ours, in place."""
    out: dict = {}
    for name in ("annotation_filter_options", "task_filter_options", "serialization_options"):
        if not isinstance(raw.get(name) or {}, dict):
            raise ApplicationError(f"{name} must be an object", field=name)
    ann = raw.pop("annotation_filter_options", None) or {}
    if ann:
        out.update(_annotation_filter(ann))
        if ann.get("reviewed") == "only":
            out["only_accepted"] = True
    tasks = raw.pop("task_filter_options", None) or {}
    if tasks:
        if tasks.get("only_with_annotations"):
            out["only_completed"] = True
        for key in ("annotated", "finished", "skipped"):
            if tasks.get(key) in ONLY_OR_EXCLUDE:
                out[key] = tasks[key]
    ser = raw.pop("serialization_options", None) or {}
    if ser:
        if (ser.get("annotations__completed_by") or {}).get("only_id") is False:
            out["expand_users"] = True
        if (ser.get("predictions") or {}).get("only_id") is True:
            out["include_predictions"] = False
        if ser.get("interpolate_key_frames") is not None:
            out["interpolate_key_frames"] = ser["interpolate_key_frames"]
    if "download_all_tasks" in raw:
        value = raw.pop("download_all_tasks")
        out["only_completed"] = str(value).lower() not in ("1", "true", "yes")
    if "ids" in raw:
        out["task_ids"] = raw.pop("ids")
    return out


def _annotation_filter(ann: dict) -> dict:
    """Label Studio's ``annotation_filter_options``: completions of any chosen kind (``usual`` is
    chosen unless sent false); none chosen exports all. Absent, every completion is exported."""
    if not isinstance(ann, dict):
        raise ApplicationError("annotation_filter_options: expected an object", field="annotation_filter_options")
    chosen = [kind for kind in COMPLETION_KINDS if ann.get(kind, kind == "usual")]
    return {"completion_kinds": chosen} if chosen else {}


def _check(name: str, annotation: str, value):
    def bad(expected: str):
        return ApplicationError(f"export option {name}: expected {expected}, got {value!r}", field=name)

    if annotation == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
            return value.lower() in ("true", "1")
        raise bad("true or false")
    if annotation == "list[int] | None":
        if isinstance(value, str):
            value = [v for v in value.split(",") if v.strip()]
        if not isinstance(value, list):
            raise bad("a list of integers")
        try:
            return [int(v) for v in value]
        except (TypeError, ValueError):
            raise bad("a list of integers") from None
    if annotation == "list[str] | None":
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list) or not set(value) <= set(COMPLETION_KINDS):
            raise bad(f"a list of {', '.join(COMPLETION_KINDS)}")
        return value
    if annotation == "dict | None":
        if not isinstance(value, dict) or not isinstance(value.get("items", []), list):
            raise bad('{"items": [{"filter", "operator", "value"}]} or the data manager\'s filter parameters')
        return value
    if name == "one_per_task":
        if value not in ONE_PER_TASK:
            raise bad(" or ".join(ONE_PER_TASK))
        return value
    if name in ("annotated", "finished", "skipped"):
        if value not in ONLY_OR_EXCLUDE:
            raise bad('"only" or "exclude"')
        return value
    if name == "changed_since":
        if not isinstance(value, str) or parse_datetime(value) is None:
            raise bad("an ISO 8601 date and time")
        return value
    if not isinstance(value, str):
        raise bad("a string")
    return value
