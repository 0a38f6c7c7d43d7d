"""One raw row -> a checked ``TaskRow`` ready to write, or the list of what is wrong with it.

A task object is Label Studio's: ``{"data": {...}, "annotations" (or the older "completions"),
"predictions", "meta"}``, or the data itself when it has no ``data`` object. Data is checked
against the config (missing keys, URL keys, types), annotations and predictions against its
controls. JSON is serialised once here; the writer sends the text as is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from django.conf import settings

from .documents import Document, RawRow
from .errors import RowError
from .predictions import field_prediction
from .users import UserResolver

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)
try:  # the C encoder built once (JSONEncoder.encode rebuilds it per call); parsed input has no cycles
    from json.encoder import c_make_encoder, encode_basestring

    _c_encode = c_make_encoder(None, _ENCODER.default, encode_basestring, None, ":", ",", False, False, False)

    def _dumps(value) -> str:
        return "".join(_c_encode(value, 0))
except ImportError:  # pragma: no cover - CPython always has it
    _dumps = _ENCODER.encode
_KEY_RE = re.compile(r"data key '([^']+)'")


@dataclass(slots=True)
class TaskRow:
    data: str
    meta: str
    #: (completed_by_id, result JSON, was_cancelled, ground_truth, lead_time)
    annotations: list[tuple] = field(default_factory=list)
    #: (model_version, score, result JSON)
    predictions: list[tuple] = field(default_factory=list)
    storage_key: str | None = None

    @property
    def plain(self) -> bool:
        return not (self.annotations or self.predictions or self.storage_key)


def too_deep(obj: dict, limit: int) -> bool:
    for value in obj.values():  # fast path: a flat task
        if value.__class__ is dict or value.__class__ is list:
            break
    else:
        return False
    stack = [(obj, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False


class RowBuilder:
    def __init__(self, *, config, options, limits, users: UserResolver):
        self.config = config
        self.options = options
        self.max_depth = limits.max_json_depth
        self.users = users
        self.fields = options.preannotated_from_fields

    def build(self, raw: RawRow, doc: Document) -> TaskRow | list[RowError]:
        errors: list[RowError] = []

        def error(message: str, key: str | None = None) -> None:
            errors.append(RowError(file=doc.name, row=raw.row, line=raw.line, key=key, message=message))

        obj = raw.obj
        if not isinstance(obj, dict):
            error(f"a task must be a JSON object, got {type(obj).__name__}")
            return errors
        annotations = predictions = ()
        meta = None
        if raw.kind == "task":
            if too_deep(obj, self.max_depth):
                error(f"the task is nested deeper than {self.max_depth} levels, the limit")
                return errors
            if "data" in obj:
                data = obj["data"]
                if not isinstance(data, dict):
                    error("'data' must be a JSON object", "data")
                    return errors
                annotations = _list(obj, ("annotations", "completions"), error)
                predictions = _list(obj, ("predictions",), error)
                meta = obj.get("meta")
                if meta is not None and not isinstance(meta, dict):
                    error("'meta' must be a JSON object", "meta")
            else:
                data = obj
        else:
            data = obj
        predictions = list(predictions)
        if self.fields:
            self._field_predictions(data, predictions, error)
        for message in self.config.validate_task_data(data):
            match = _KEY_RE.search(message)
            error(message, match.group(1) if match else "data")
        row_annotations = self._annotations(annotations, data, error) if annotations else []
        row_predictions = self._predictions(predictions, data, error) if predictions else []
        if errors:
            return errors
        try:
            data_text = _dumps(data)
            meta_text = _dumps(meta) if meta else "{}"
        except (ValueError, TypeError) as exc:
            error(f"cannot store the task: {exc}", "data")
            return errors
        if "\\u0000" in data_text or "\\u0000" in meta_text:
            error("text contains a NUL character (\\u0000), which cannot be stored", "data")
            return errors
        return TaskRow(data_text, meta_text, row_annotations, row_predictions, raw.storage_key)

    def _field_predictions(self, data: dict, predictions: list, error) -> None:
        result = []
        for name in self.fields:
            if name not in data:
                error(
                    f"'{name}' is declared a prediction field (preannotated_from_fields) but the row has no such key",
                    name,
                )
                continue
            value = data.pop(name)
            built = field_prediction(self.config, name, value)
            if isinstance(built, str):
                error(built, name)
            elif isinstance(built, dict):
                predictions.append(built)
            else:
                result.extend(built)
        if result:
            predictions.append({"result": result})

    def _annotations(self, items, data, error) -> list[tuple]:
        rows, users, ground_truths = [], {}, 0
        for i, item in enumerate(items):
            key = f"annotations[{i}]"
            if not isinstance(item, dict):
                error("an annotation must be a JSON object", key)
                continue
            result = item.get("result", [])
            cancelled = bool(item.get("was_cancelled", False))
            if not (cancelled and result == []):
                self._check_result(result, data, key, error)
            user_id = self.users.resolve(item.get("completed_by"))
            if user_id in users:
                error(
                    f"annotations[{users[user_id]}] and [{i}] are by the same user (id {user_id}); a task holds "
                    "one annotation per user",
                    key,
                )
            users[user_id] = i
            ground_truth = bool(item.get("ground_truth", False))
            ground_truths += ground_truth
            lead_time = item.get("lead_time")
            if lead_time is not None and (not isinstance(lead_time, int | float) or isinstance(lead_time, bool)):
                error(f"lead_time must be a number of seconds, got {lead_time!r}", f"{key}.lead_time")
                lead_time = None
            rows.append(
                (user_id, _dumps(result) if isinstance(result, list) else "[]", cancelled, ground_truth, lead_time)
            )
        if ground_truths > 1:
            error("more than one annotation is marked ground_truth", "annotations")
        return rows

    def _predictions(self, items, data, error) -> list[tuple]:
        rows = []
        for i, item in enumerate(items):
            key = f"predictions[{i}]"
            if not isinstance(item, dict):
                error("a prediction must be a JSON object", key)
                continue
            result = item.get("result")
            self._check_result(result, data, key, error)
            score = item.get("score")
            if score is not None and (not isinstance(score, int | float) or isinstance(score, bool)):
                error(f"score must be a number, got {score!r}", f"{key}.score")
                score = None
            version = item.get("model_version") or self.options.model_version
            rows.append((str(version)[:200], score, _dumps(result) if isinstance(result, list) else "[]"))
        return rows

    def _check_result(self, result, data, key, error) -> None:
        if not isinstance(result, list):
            error(f"'result' must be a list of result items, got {type(result).__name__}", f"{key}.result")
            return
        if len(result) > settings.MAX_REGIONS_PER_RESULT:
            error(f"{len(result)} regions; at most {settings.MAX_REGIONS_PER_RESULT} per result", f"{key}.result")
            return
        for problem in self.config.validate_result(result, data)[:10]:
            index = "" if problem.index is None else f"[{problem.index}]"
            path = f"{key}.result{index}" + (f".{problem.field}" if problem.field else "")
            error(problem.message, path)


def _list(obj: dict, names: tuple[str, ...], error) -> list:
    for name in names:
        value = obj.get(name)
        if value is None:
            continue
        if not isinstance(value, list):
            error(f"'{name}' must be a list", name)
            return []
        return value
    return []
