"""Turn a backend's /predict answer into predictions we can store, checking each against the config.

Pure Python. A prediction that does not fit the labeling config is rejected and reported (task,
prediction index, the item index and field), the others of the batch are kept. A batch whose
answer has a different number of items than the tasks sent is an error for the whole batch: we
cannot tell which answer belongs to which task, and guessing would silently lose or mix data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from labelstudio.core.parsers import json_problem
from projects.label_config import LabelConfig

MAX_VERSION = 200


@dataclass
class BatchOutcome:
    predictions: list[dict] = field(default_factory=list)  # {task, result, score, model_version}
    rejected: list[dict] = field(default_factory=list)  # {task, prediction, errors: [..]}
    error: str = ""  # the whole batch is unusable (shape or count mismatch)
    model_version: str = ""


def version_str(value: Any) -> str:
    return "" if value is None else str(value)[:MAX_VERSION]


def score_of(item: dict, result: list) -> float | None:
    """The prediction's score, else the lowest score of its result items (the least sure region
    decides how uncertain the task is), else None."""
    score = item.get("score")
    if isinstance(score, int | float) and not isinstance(score, bool):
        return float(score)
    scores = [r["score"] for r in result if isinstance(r, dict) and isinstance(r.get("score"), int | float)]
    return float(min(scores)) if scores else None


def _predictions_of(entry: Any) -> list[dict] | None:
    """One task's answer as a list of prediction dicts, or None when the shape is unknown."""
    if isinstance(entry, dict):
        return [entry]
    if isinstance(entry, list):
        if all(isinstance(x, dict) and "result" in x for x in entry):
            return entry  # several predictions for one task
        if all(isinstance(x, dict) and "from_name" in x for x in entry):
            return [{"result": entry}]  # a bare result list
    return None


def check_prediction(config: LabelConfig, item: dict, data: dict | None = None) -> tuple[list, list[dict]]:
    """(result, errors as dicts) for one prediction dict."""
    result = item.get("result")
    if result is None:
        return [], [_error("result", "missing")]
    problem = json_problem(result)
    if problem:
        return [], [_error("result" + ("" if problem[1] == "(body)" else problem[1]), problem[0])]
    limit = settings.MAX_REGIONS_PER_RESULT
    if isinstance(result, list) and len(result) > limit:
        return [], [_error("result", f"{len(result)} regions; at most {limit} per result")]
    errors = [e.as_dict() for e in config.validate_result(result, data)]
    score = item.get("score")
    if isinstance(score, float) and not math.isfinite(score):
        errors.append(_error("score", "must be a finite number"))
    elif score is not None and (isinstance(score, bool) or not isinstance(score, int | float)):
        errors.append(_error("score", f"expected a number, got {score!r}"[:200]))
    return result, errors


def _error(field_name: str, message: str) -> dict:
    """Shaped like ResultError.as_dict(); ``detail`` starts with the path (``score: ...``)."""
    return {"index": None, "field": field_name, "message": message, "detail": f"{field_name}: {message}"}


def normalize_response(data: Any, tasks: list[dict], config: LabelConfig, *, default_version: str = "") -> BatchOutcome:
    """Match a /predict answer to ``tasks`` (each ``{"id", "data", ...}``) and validate it."""
    if isinstance(data, dict):
        results = data.get("results")
        response_version = version_str(data.get("model_version")) or default_version
    else:
        results, response_version = data, default_version
    outcome = BatchOutcome(model_version=response_version)
    if not isinstance(results, list):
        outcome.error = "the backend's answer has no 'results' list"
        return outcome
    if len(results) != len(tasks):
        outcome.error = f"the backend returned {len(results)} results for {len(tasks)} tasks"
        return outcome
    for task, entry in zip(tasks, results, strict=True):
        items = _predictions_of(entry)
        if items is None:
            error = _error("result", "expected a prediction object or a list of them")
            outcome.rejected.append({"task": task["id"], "prediction": 0, "errors": [error]})
            continue
        for n, item in enumerate(items):
            result, errors = check_prediction(config, item, task.get("data"))
            if errors:
                outcome.rejected.append({"task": task["id"], "prediction": n, "errors": errors[:10]})
                continue
            outcome.predictions.append(
                {
                    "task": task["id"],
                    "result": result,
                    "score": score_of(item, result),
                    "model_version": version_str(item.get("model_version")) or response_version,
                }
            )
    return outcome
