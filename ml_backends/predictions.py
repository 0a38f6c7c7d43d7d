"""Writes for predictions: create/update/delete (validated against the config), accept as a
completion, human-in-the-loop priority, and interactive pre-annotation.

``services`` re-exports these, so callers import them from ``ml_backends.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from labelstudio.core import events
from labelstudio.core.exceptions import ApplicationError
from projects.label_config import parse
from tasks.models import Task
from tasks.services import task_counters_refresh

from .backends import client_for, project_ref
from .models import MLBackend, MLSettings, Prediction
from .validation import check_prediction, normalize_response, version_str

HITL_PRIORITY = 1


# --- predictions ----------------------------------------------------------------------------
def _checked(project, task_data, result, score) -> None:
    _, errors = check_prediction(parse(project.label_config), {"result": result, "score": score}, task_data)
    if errors:
        first = errors[0]
        raise ApplicationError(
            f"prediction does not fit the labeling config: {first['detail']}",
            field=first["detail"].split(":")[0],
            index=first["index"],
            errors=errors[:20],
        )


@transaction.atomic
def prediction_create(
    *, task: Task, result: list, score: float | None = None, model_version: str = "", ml_backend=None
) -> Prediction:
    """One prediction, validated against the config (a 400 naming the item index and field).

    Human in the loop: a score under the project's threshold sends the task to the front of
    the annotators' queue (``Task.meta["priority"]``)."""
    _checked(task.project, task.data, result, score)
    prediction = Prediction.objects.create(
        task=task,
        project_id=task.project_id,
        result=result,
        score=score,
        model_version=version_str(model_version),
        ml_backend=ml_backend,
    )
    task_counters_refresh([task.pk])
    hitl_prioritize(project=task.project, task_ids=[task.pk])
    return prediction


@transaction.atomic
def predictions_import(*, project, items) -> int:
    """Label Studio's POST /api/projects/{id}/import/predictions: a list of
    ``{"task": id, "result": [...], "score": x, "model_version": "..."}``, all or nothing; a bad item
    is a 400 naming its index. Returns how many were created."""
    if not isinstance(items, list):
        raise ApplicationError("send a JSON list of predictions", field="predictions")
    config = parse(project.label_config)
    ids = {item.get("task") for item in items if isinstance(item, dict)}
    tasks = {t.pk: t for t in Task.objects.filter(project=project, pk__in=[i for i in ids if isinstance(i, int)])}
    rows = []
    for index, item in enumerate(items):
        task = tasks.get(item.get("task")) if isinstance(item, dict) else None
        if task is None:
            raise ApplicationError(
                f"item {index}: no task {item.get('task') if isinstance(item, dict) else item!r} in this project",
                index=index,
                field="task",
            )
        result, score = item.get("result", []), item.get("score")
        _, errors = check_prediction(config, {"result": result, "score": score}, task.data)
        if errors:
            raise ApplicationError(
                f"item {index}: {errors[0]['detail']}", index=index, field="result", errors=errors[:20]
            )
        rows.append(
            Prediction(
                task=task,
                project=project,
                result=result,
                score=score,
                model_version=version_str(item.get("model_version", "")),
            )
        )
    Prediction.objects.bulk_create(rows, batch_size=1000)
    touched = sorted(tasks)
    task_counters_refresh(touched)
    hitl_prioritize(project=project, task_ids=touched)
    return len(rows)


@transaction.atomic
def prediction_update(*, prediction: Prediction, **fields) -> Prediction:
    result = fields.get("result", prediction.result)
    score = fields.get("score", prediction.score)
    if "result" in fields or "score" in fields:
        _checked(prediction.project, prediction.task.data, result, score)
    for name in ("result", "score", "model_version"):
        if name in fields:
            setattr(prediction, name, version_str(fields[name]) if name == "model_version" else fields[name])
    prediction.save()
    if "score" in fields:
        task_counters_refresh([prediction.task_id])  # the task's average score (its sort key)
    return prediction


@transaction.atomic
def prediction_delete(*, prediction: Prediction) -> None:
    task_id = prediction.task_id
    prediction.delete()
    task_counters_refresh([task_id])


@transaction.atomic
def predictions_delete_for_tasks(*, project, task_ids) -> int:
    """The data manager's "delete predictions" action."""
    ids = list(task_ids)
    deleted = Prediction.objects.filter(project=project, task_id__in=ids).delete()[1].get(Prediction._meta.label, 0)
    task_counters_refresh(ids)
    return deleted


def hitl_prioritize(*, project, task_ids, notify: bool = True) -> int:
    """Mark tasks whose predictions score under the project's threshold with
    ``meta["priority"] = 1`` (next-task code orders by it first). Returns how many changed.

    The changed tasks are TASKS_UPDATED unless ``notify`` is off (an import: its TASKS_CREATED,
    emitted after, already reports them)."""
    threshold = MLSettings.objects.filter(project=project).values_list("hitl_score_threshold", flat=True).first()
    if threshold is None:
        return 0
    low = Prediction.objects.filter(task_id__in=list(task_ids), score__lt=threshold).values_list("task_id", flat=True)
    tasks = list(Task.objects.filter(pk__in=set(low)).only("id", "meta"))
    changed = [t for t in tasks if (t.meta or {}).get("priority") != HITL_PRIORITY]
    for task in changed:
        task.meta = {**(task.meta or {}), "priority": HITL_PRIORITY}
    Task.objects.bulk_update(changed, ["meta"], batch_size=1000)
    if changed and notify:
        events.emit(events.TASKS_UPDATED, project=project, task_ids=[t.pk for t in changed])
    return len(changed)


def prediction_accept(*, prediction: Prediction, user):
    """The prediction's result becomes the user's completion (``parent_prediction`` set), through
    annotators' service: membership, one-completion-per-user (409) and the completion event."""
    # cross-app import (a listed exception in pyproject.toml): accepting a prediction is a completion write (checks, counters, events)
    from annotators.services import completion_create

    return completion_create(task=prediction.task, user=user, result=prediction.result, parent_prediction=prediction)


# --- one task, answered at once (interactive, predict test, chat) ----------------------------
def predict_one(
    *, backend: MLBackend, task: Task, timeout: float | None = None, params: dict | None = None, config=None
):
    """Send one task to the backend now and return its answer checked against the config
    (``normalize_response``'s outcome): 503 when the backend did not answer, 502 when the answer
    does not fit. ``timeout`` set: one try with that timeout (a person is waiting)."""
    if timeout is None:
        client = client_for(backend)
    else:
        client = client_for(backend, timeout=timeout, retries=0)
    payload = {"id": task.pk, "data": task.data, "meta": task.meta, "project": task.project_id}
    extra = {"params": params} if params is not None else {}
    try:
        result = client.predict(
            tasks=[payload],
            project=project_ref(task.project),
            label_config=task.project.label_config,
            model_version=backend.model_version,
            **extra,
        )
    finally:
        client.close()
    if not result.ok:
        raise ApplicationError(f"the ML backend did not answer: {result.error}", status_code=503)
    config = config if config is not None else parse(task.project.label_config)
    outcome = normalize_response(result.data, [payload], config, default_version=backend.model_version)
    if outcome.error:
        raise ApplicationError(outcome.error, status_code=502)
    return outcome


# --- interactive pre-annotation -------------------------------------------------------------
def interactive_annotate(*, backend: MLBackend, task: Task, context: dict | None) -> dict:
    """Send one task and the annotator's seed regions (``params.context``) with a short timeout;
    return the regions that fit the config. Never waits longer than ML_INTERACTIVE_TIMEOUT."""
    if not backend.is_interactive:
        raise ApplicationError("this ML backend is not interactive", field="ml_backend")
    timeout = min(backend.timeout, float(getattr(settings, "ML_INTERACTIVE_TIMEOUT", 5.0)))
    outcome = predict_one(backend=backend, task=task, timeout=timeout, params={"context": context or {}})
    first = outcome.predictions[0] if outcome.predictions else {"result": [], "score": None}
    return {
        "result": first["result"],
        "score": first["score"],
        "model_version": outcome.model_version,
        "errors": [e for r in outcome.rejected for e in r["errors"]],
    }


def predict_test(*, backend: MLBackend) -> dict:
    """Label Studio's POST /api/ml/{id}/predict/test?random=true: ask the backend for one random
    task of the project and answer what it said (checked against the config); nothing is saved."""
    task = Task.objects.filter(project_id=backend.project_id).order_by("?").first()
    if task is None:
        raise ApplicationError("Project has no tasks to run prediction on, import at least 1 task to run prediction")
    outcome = predict_one(backend=backend, task=task)
    return {"task": task.pk, "results": outcome.predictions, "model_version": outcome.model_version}
