"""Label Studio project fields we have no column for. Label Studio's clients send them (the SDK's
``projects.create/update``, project JSON copied between servers); none may be silently dropped.

Each has the value that describes what this server does (Label Studio's default in every case).
A client that sends that value gets it accepted and read back; any other value is refused with a
400 naming the field, because we would not honour it. Fields we store and honour are model
columns (``enable_empty_annotation``, ``is_published``) and are listed in services.EDITABLE_FIELDS.
"""

from __future__ import annotations

from labelstudio.core.exceptions import ApplicationError

# field -> the value that matches our behaviour (what GET answers)
NEUTRAL = {
    "show_annotation_history": False,
    "show_collab_predictions": True,  # annotators see the current model's predictions
    "evaluate_predictions_automatically": False,  # pre-labeling is configured in /ml-settings
    "reveal_preannotations_interactively": False,
    "min_annotations_to_start_training": 0,  # training cadence: the ML backend's train_every_n
    "start_training_on_annotation_update": False,
    "overlap_cohort_percentage": 100,  # every task gets `maximum_annotations`
    "show_ground_truth_first": False,
    "show_overlap_first": False,
    "annotator_evaluation_enabled": False,
    "is_draft": False,
    "pinned_at": None,
    "task_data_login": None,
    "task_data_password": None,
    "control_weights": {},  # agreement weighs every control and label equally
}
IGNORED = {"organization"}  # the owner's organization: see docs/compatibility.md (people API)
HINTS = {
    "min_annotations_to_start_training": "set train_every_n on the ML backend (/api/ml/{id})",
    "evaluate_predictions_automatically": "turn on auto_prelabel in /api/projects/{id}/ml-settings",
    "overlap_cohort_percentage": "every task gets maximum_annotations completions here",
}


def _equal_weights(value) -> bool:
    """Label Studio fills control_weights with 1.0 everywhere; only such weights match ours."""
    if value in (None, {}):
        return True
    if isinstance(value, dict):
        return all(
            _equal_weights(v) if isinstance(v, dict) else (not isinstance(v, int | float) or v == 1)
            for v in value.values()
        )
    return False


def _matches(name: str, value) -> bool:
    neutral = NEUTRAL[name]
    if name == "control_weights":
        return _equal_weights(value)
    if neutral is None:
        return value in (None, "")
    if isinstance(neutral, bool):
        return value in (neutral, str(neutral).lower())
    try:
        return float(value) == float(neutral)
    except (TypeError, ValueError):
        return False


def check_ls_fields(data) -> None:
    """Raise a 400 naming every Label Studio field in ``data`` whose value we would not honour."""
    refused = [name for name in NEUTRAL if name in data and not _matches(name, data[name])]
    if refused:
        hints = "; ".join(f"{n}: {HINTS[n]}" for n in refused if n in HINTS)
        raise ApplicationError(
            f"not supported here with these values: {', '.join(refused)} "
            f"(accepted: {', '.join(f'{n}={NEUTRAL[n]!r}' for n in refused)})" + (f"; {hints}" if hints else ""),
            field=refused[0],
            fields=refused,
        )


def ls_field_values() -> dict:
    return dict(NEUTRAL)
