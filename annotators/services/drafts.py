"""Drafts: autosaved, unsubmitted work, one per user and task, private to its author.

Saving a draft also extends the author's lock on the task: they are still working on it.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from labelstudio.core.exceptions import ApplicationError, Forbidden
from projects.access import role_check
from projects.services import result_size_check
from tasks.models import Task

from ..models import Completion, Draft, TaskLock


@transaction.atomic
def draft_save(
    *, task: Task, user: User, result: object, lead_time: float | None = None, completion_id: int | None = None
) -> Draft:
    """Create or replace the user's draft of a task (an upsert, safe against concurrent autosaves)."""
    role_check(user, task.project)
    if not isinstance(result, list):
        raise ApplicationError("result must be a list of result items", field="result")
    result_size_check(task.project, result)
    if completion_id is not None and not Completion.objects.filter(pk=completion_id, task=task).exists():
        raise ApplicationError("that completion belongs to another task", field="annotation")
    Draft.objects.bulk_create(
        [
            Draft(
                task=task,
                project_id=task.project_id,
                user=user,
                result=result,
                lead_time=lead_time,
                completion_id=completion_id,
            )
        ],
        update_conflicts=True,
        unique_fields=["task", "user"],
        update_fields=["result", "lead_time", "completion", "updated_at"],
    )
    ttl = timedelta(seconds=task.project.task_lock_ttl)
    TaskLock.objects.filter(task=task, user=user, expire_at__gt=timezone.now()).update(expire_at=timezone.now() + ttl)
    return Draft.objects.get(task=task, user=user)


def draft_update(*, draft: Draft, user: User, result: object = None, lead_time: float | None = None) -> Draft:
    if draft.user_id != user.pk:
        raise Forbidden("drafts are private to their author")
    return draft_save(
        task=draft.task,
        user=user,
        result=draft.result if result is None else result,
        lead_time=draft.lead_time if lead_time is None else lead_time,
        completion_id=draft.completion_id,
    )


def draft_delete(*, draft: Draft, user: User) -> None:
    if draft.user_id != user.pk:
        raise Forbidden("drafts are private to their author")
    draft.delete()
