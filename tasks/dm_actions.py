"""The data manager's actions (Label Studio's /api/dm/actions ids and answers), each a call of
the owning app's service on the selected tasks."""

from __future__ import annotations

from labelstudio.core.exceptions import ApplicationError

from . import services

ACTIONS_INFO = [
    {"id": "retrieve_tasks_predictions", "title": "Retrieve Predictions", "order": 90, "permission": "tasks.change",
     "experimental": False, "dialog": None},
    {"id": "predictions_to_annotations", "title": "Create Annotations From Predictions", "order": 91,
     "permission": "tasks.change", "experimental": False,
     "dialog": {"text": "Each selected task gets a completion by you from its newest prediction "
                "(of model_version, when the request names one).", "type": "confirm"}},
    {"id": "delete_tasks", "title": "Delete Tasks", "order": 100, "permission": "tasks.delete",
     "experimental": False, "dialog": {"text": "You are going to delete the selected tasks.", "type": "confirm"}},
    {"id": "delete_tasks_annotations", "title": "Delete Annotations", "order": 101, "permission": "tasks.delete",
     "experimental": False,
     "dialog": {"text": "You are going to delete all annotations from the selected tasks.", "type": "confirm"}},
    {"id": "delete_tasks_predictions", "title": "Delete Predictions", "order": 102, "permission": "tasks.delete",
     "experimental": False,
     "dialog": {"text": "You are going to delete all predictions from the selected tasks.", "type": "confirm"}},
    {"id": "delete_ground_truths", "title": "Delete Ground Truths", "order": 103, "permission": "tasks.delete",
     "experimental": False, "dialog": {"text": "The selected tasks' ground truths become plain completions.",
                                       "type": "confirm"}},
]  # fmt: skip


def run(action_id, *, project, tasks, user, body) -> dict:
    ids = list(tasks.values_list("pk", flat=True))
    handler = HANDLERS.get(action_id)
    if handler is None:
        known = ", ".join(a["id"] for a in ACTIONS_INFO)
        raise ApplicationError(f"unknown action {action_id!r}; known: {known}", field="id")
    return handler(project=project, ids=ids, user=user, body=body)


def _delete_tasks(*, project, ids, user, body) -> dict:
    if ids:
        services.tasks_delete(project=project, task_ids=ids)
    return {"processed_items": len(ids), "reload": True}


def _delete_annotations(*, project, ids, user, body) -> dict:
    # listed layering exception, lazy so tasks loads on its own: a data-manager action calls the owning app's service
    from annotators.services import completions_bulk_delete

    n = completions_bulk_delete(project=project, user=user, task_ids=ids)
    return {"processed_items": n, "detail": f"Deleted {n} annotations"}


def _delete_predictions(*, project, ids, user, body) -> dict:
    # listed layering exception, lazy so tasks loads on its own: a data-manager action calls the owning app's service
    from ml_backends.services import predictions_delete_for_tasks

    n = predictions_delete_for_tasks(project=project, task_ids=ids)
    return {"processed_items": n, "detail": f"Deleted {n} predictions"}


def _retrieve_predictions(*, project, ids, user, body) -> dict:
    # listed layering exception, lazy so tasks loads on its own: a data-manager action calls the owning app's service
    from ml_backends.models import MLBackend
    from ml_backends.services import prelabel_start

    backend = MLBackend.objects.filter(project=project).order_by("id").first()
    if backend is None:
        raise ApplicationError("this project has no ML backend: connect one first (POST /api/ml/)", field="id")
    job = prelabel_start(backend=backend, created_by=user, task_ids=ids)
    return {"processed_items": len(ids), "detail": f"Retrieving predictions for {len(ids)} tasks", "job": job.pk}


def _predictions_to_annotations(*, project, ids, user, body) -> dict:
    # listed layering exception, lazy so tasks loads on its own: a data-manager action calls the owning app's service
    from ml_backends.models import Prediction
    from ml_backends.services import prediction_accept

    version = body.get("model_version")
    preds = Prediction.objects.filter(project=project, task_id__in=ids).order_by("task_id", "-id")
    if version:
        preds = preds.filter(model_version=version)
    newest = {}
    for p in preds:
        newest.setdefault(p.task_id, p)
    for p in newest.values():
        prediction_accept(prediction=p, user=user)
    return {"processed_items": len(newest), "detail": f"Created {len(newest)} annotations"}


def _delete_ground_truths(*, project, ids, user, body) -> dict:
    # listed layering exception, lazy so tasks loads on its own: a data-manager action calls the owning app's service
    from annotators.models import Completion
    from annotators.services import completions_mark_ground_truth

    qs = Completion.objects.filter(project=project, task_id__in=ids, ground_truth=True)
    n = completions_mark_ground_truth(completions=qs, user=user, value=False)
    return {"processed_items": n, "detail": f"Deleted {n} ground truths"}


HANDLERS = {
    "delete_tasks": _delete_tasks,
    "delete_tasks_annotations": _delete_annotations,
    "delete_tasks_predictions": _delete_predictions,
    "retrieve_tasks_predictions": _retrieve_predictions,
    "predictions_to_annotations": _predictions_to_annotations,
    "delete_ground_truths": _delete_ground_truths,
}
