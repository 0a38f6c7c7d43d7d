"""Event bodies in Label Studio's shapes (``{"action": EVENT, "project": {...}, "task": {...},
"annotation": {...}}``), shared by webhooks and the ML backends' /webhook. Duck-typed: they read
only the rows' own fields, so this module imports no app."""

from __future__ import annotations

from typing import Any

from labelstudio.core.events import JOB_FINISHED, PROJECT_CREATED, PROJECT_DELETED, WEBHOOK_EVENTS


def webhook_events_info() -> dict[str, dict]:
    """Label Studio's /api/webhooks/info shape: {EVENT: {name, description, key, organization-only}}."""
    project_level = {PROJECT_CREATED: False, PROJECT_DELETED: False, JOB_FINISHED: False}
    return {
        event: {
            "name": event.replace("_", " ").capitalize(),
            "description": "",
            "key": event,
            "organization-only": project_level.get(event, False),
        }
        for event in WEBHOOK_EVENTS
    }


def project_payload(project) -> dict:
    return {
        "id": project.pk,
        "title": project.title,
        "label_config": project.label_config,
        "model_version": project.model_version,
        "created_at": _iso(project.created_at),
    }


def task_payload(task) -> dict:
    return {
        "id": task.pk,
        "data": task.data,
        "meta": task.meta,
        "project": task.project_id,
        "is_labeled": task.is_labeled,
        "total_annotations": task.total_annotations,
        "total_predictions": task.total_predictions,
        "created_at": _iso(task.created_at),
        "updated_at": _iso(task.updated_at),
    }


def completion_payload(completion) -> dict:
    """The completion as Label Studio's "annotation" object; reads no related rows."""
    return {
        "id": completion.pk,
        "task": completion.task_id,
        "project": completion.project_id,
        "result": completion.result,
        "completed_by": completion.completed_by_id,
        "was_cancelled": completion.was_cancelled,
        "ground_truth": completion.ground_truth,
        "lead_time": completion.lead_time,
        "parent_prediction": completion.parent_prediction_id,
        "parent_annotation": completion.parent_completion_id,
        "created_at": _iso(completion.created_at),
        "updated_at": _iso(completion.updated_at),
    }


def job_payload(job) -> dict[str, Any]:
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "error": job.error,
        "result": job.result,
        "progress_done": job.progress_done,
        "progress_total": job.progress_total,
    }


def _iso(value) -> str | None:
    return value.isoformat() if value else None
