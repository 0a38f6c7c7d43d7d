"""Writes of the annotators app (re-exported so callers import ``annotators.services``)."""

from .assignments import assignments_add, assignments_remove
from .bulk import completions_bulk_create, completions_bulk_delete
from .completions import completion_create, completion_delete, completion_skip, completion_update
from .distribution import (
    current_model_version,
    next_task_for,
    task_lock_heartbeat,
    task_locks_expire,
    task_locks_release,
    tasks_locked_by_others,
)
from .drafts import draft_delete, draft_save, draft_update
from .quality import quality_settings_get, quality_settings_update
from .relabel import labels_bulk_update
from .review import (
    completion_mark_ground_truth,
    completion_review,
    completions_mark_ground_truth,
    completions_review,
)

__all__ = [
    "assignments_add",
    "assignments_remove",
    "completion_create",
    "completion_delete",
    "completion_mark_ground_truth",
    "completion_review",
    "completion_skip",
    "completion_update",
    "completions_bulk_create",
    "completions_bulk_delete",
    "completions_mark_ground_truth",
    "completions_review",
    "current_model_version",
    "draft_delete",
    "draft_save",
    "draft_update",
    "labels_bulk_update",
    "next_task_for",
    "quality_settings_get",
    "quality_settings_update",
    "task_lock_heartbeat",
    "task_locks_expire",
    "task_locks_release",
    "tasks_locked_by_others",
]
