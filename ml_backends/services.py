"""Writes for ML: backends, ML settings, predictions, jobs, and the hooks other apps call.

Reactions to other apps' writes (subscribers.py, through labelstudio/core/events.py; cheap, they
never call a backend in the request):
- ``prelabel_after_import(project=, task_ids_or_import_job=)`` — once an import commits.
- ``hitl_prioritize(project=, task_ids=)`` — inside an import of tasks that carry predictions.
- completion events: completion_events.py (the backends' /webhook, training every N).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from django.contrib.auth.models import User

from labelstudio.core.exceptions import ApplicationError
from labelstudio.core.jobs import job_create
from labelstudio.core.models import Job
from labelstudio.core.net import check_url
from projects.models import Project

from .backends import backend_setup
from .models import MLBackend, MLSettings
from .predictions import (  # noqa: F401 - re-exported: services is the app's write API
    HITL_PRIORITY,
    hitl_prioritize,
    interactive_annotate,
    predict_test,
    prediction_accept,
    prediction_create,
    prediction_delete,
    prediction_update,
    predictions_delete_for_tasks,
    predictions_import,
)

BACKEND_FIELDS = {
    "url",
    "title",
    "description",
    "auth_method",
    "basic_auth_user",
    "basic_auth_pass",
    "extra_headers",
    "extra_params",
    "is_interactive",
    "timeout",
    "send_completion_events",
    "train_every_n",
}
SETTINGS_FIELDS = {"auto_prelabel", "prelabel_batch_size", "prelabel_concurrency", "hitl_score_threshold"}


class CompletionRow(Protocol):
    """A completion (annotators' model: that sibling app is not imported here)."""

    @property
    def project_id(self) -> int: ...


# --- backends -------------------------------------------------------------------------------
def _backend_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - BACKEND_FIELDS
    if unknown:
        raise ApplicationError(f"unknown ML backend fields: {', '.join(sorted(unknown))}")
    if "url" in fields:
        check_url(fields["url"])
    headers = fields.get("extra_headers")
    if headers is not None and (not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values())):
        raise ApplicationError("extra_headers must be an object of header names to strings", field="extra_headers")
    if "extra_params" in fields and not isinstance(fields["extra_params"], dict):
        raise ApplicationError("extra_params must be an object", field="extra_params")
    if "extra_headers" in fields and fields["extra_headers"] is None:
        raise ApplicationError("extra_headers must be an object of header names to strings", field="extra_headers")
    timeout = fields.get("timeout")
    if timeout is not None and not 0 < float(timeout) <= 3600:
        raise ApplicationError("timeout must be between 0 and 3600 seconds", field="timeout")
    return fields


def ml_backend_create(*, project: Project, url: str, check: bool = True, **fields: Any) -> MLBackend:
    """Register a backend. The URL must pass check_url; reachability is recorded as its state
    (an unreachable backend is kept, shown as ERROR, and can be fixed on the model server)."""
    _backend_fields({"url": url, **fields})
    backend = MLBackend.objects.create(project=project, url=url, **fields)
    if check:
        backend_setup(backend)
    return backend


def ml_backend_update(*, backend: MLBackend, check: bool = True, **fields: Any) -> MLBackend:
    _backend_fields(fields)
    for name, value in fields.items():
        setattr(backend, name, value)
    backend.save()
    if check and fields.keys() & {"url", "auth_method", "basic_auth_user", "basic_auth_pass", "extra_headers"}:
        backend_setup(backend)
    return backend


def ml_backend_delete(*, backend: MLBackend) -> None:
    """Remove a backend; its predictions stay (their ml_backend becomes null)."""
    backend.delete()


def ml_backend_check(*, backend: MLBackend) -> MLBackend:
    backend_setup(backend)
    return backend


def ml_backends_check_all() -> int:
    """Refresh every backend's state (beat runs this periodically, so the UI shows a dead model
    before anyone pre-labels with it). Returns how many are not connected."""
    from .backends import backend_set_state

    down = 0
    for backend in MLBackend.objects.select_related("project").iterator():
        try:
            ml_backend_check(backend=backend)
        except ApplicationError as exc:  # e.g. its URL is no longer allowed
            backend_set_state(backend, MLBackend.State.ERROR, exc.message)
        down += backend.state != MLBackend.State.CONNECTED
    return down


# --- project ML settings --------------------------------------------------------------------
def ml_settings_get(project: Project) -> MLSettings:
    return MLSettings.objects.get_or_create(project=project)[0]


def ml_settings_update(*, project: Project, **fields: Any) -> MLSettings:
    unknown = set(fields) - SETTINGS_FIELDS
    if unknown:
        raise ApplicationError(f"unknown ML settings: {', '.join(sorted(unknown))}")
    for name in ("prelabel_batch_size", "prelabel_concurrency"):
        if name in fields and not 1 <= int(fields[name]) <= (1000 if name == "prelabel_batch_size" else 16):
            raise ApplicationError(f"{name} is out of range", field=name)
    ml_settings = ml_settings_get(project)
    for name, value in fields.items():
        setattr(ml_settings, name, value)
    ml_settings.save()
    return ml_settings


# --- jobs -----------------------------------------------------------------------------------
def prelabel_start(
    *,
    backend: MLBackend,
    created_by: User | None = None,
    task_ids: Iterable[int | str] | None = None,
    import_job_id: int | str | None = None,
    **options: Any,
) -> Job:
    """Queue a pre-labeling job for all tasks, a selection, or the tasks of one import.

    ``options``: batch_size, concurrency (default: the project's ML settings), max_attempts per
    batch (3) and retry_backoff seconds (1.0, doubled per attempt)."""
    from .celery_tasks import run_prelabel

    unknown = set(options) - {"batch_size", "concurrency", "max_attempts", "retry_backoff"}
    if unknown:
        raise ApplicationError(f"unknown pre-labeling options: {', '.join(sorted(unknown))}")
    params: dict[str, Any] = {"ml_backend": backend.pk, **{k: v for k, v in options.items() if v is not None}}
    if task_ids is not None:
        params["task_ids"] = sorted({int(t) for t in task_ids})
    if import_job_id is not None:
        params["import_job"] = int(import_job_id)
    return job_create(
        kind=Job.Kind.PRELABEL, celery_task=run_prelabel, project=backend.project, params=params, created_by=created_by
    )


def train_start(*, backend: MLBackend, created_by: User | None = None, reason: str = "manual") -> Job:
    from .celery_tasks import run_train

    return job_create(
        kind=Job.Kind.TRAIN,
        celery_task=run_train,
        project=backend.project,
        params={"ml_backend": backend.pk, "reason": reason},
        created_by=created_by,
        total=1,
    )


def prelabel_after_import(*, project: Project, task_ids_or_import_job: Job | Iterable[int]) -> list[Job]:
    """Called by the import once its tasks are written: when the project has ``auto_prelabel``,
    queue one pre-labeling job per backend for those tasks (a Job row → its tasks, or ids)."""
    ml_settings = MLSettings.objects.filter(project=project).first()
    if ml_settings is None or not ml_settings.auto_prelabel:
        return []
    selection = task_ids_or_import_job
    backends = MLBackend.objects.filter(project=project)
    if isinstance(selection, Job):
        return [prelabel_start(backend=b, import_job_id=selection.pk) for b in backends]
    task_ids = list(selection)
    if not task_ids:
        return []
    return [prelabel_start(backend=b, task_ids=task_ids) for b in backends]
