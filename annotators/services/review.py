"""Review and ground truth.

Reviewers accept, reject (with a comment the annotator sees; the annotator's next edit sends the
completion back to the queue) or correct (a new completion by the reviewer, linked through
``parent_completion``; the original is marked ``fixed``). Reviews bump the version, so an
annotator editing a completion that was reviewed meanwhile gets a 409 and sees the review.

Ground truth: at most one completion per task, enforced by a partial unique constraint; marking
one unmarks the task's previous one in the same transaction, under the task row lock.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from labelstudio.core.exceptions import ApplicationError, Forbidden
from projects.access import REVIEWER, STAFF_ROLES, role_check

from ..models import Completion, ReviewEvent
from .completions import completion_create, lock_task, require_version, stale

ACTIONS = ("accept", "reject", "correct")


@transaction.atomic
def completion_review(
    *,
    completion: Completion,
    reviewer: User,
    action: str,
    comment: str = "",
    result: list[Any] | None = None,
    version: int | str | None = None,
) -> tuple[Completion, Completion | None]:
    """Returns (the reviewed completion, the correction if ``action`` is ``correct``)."""
    denied = "only managers and reviewers may review completions"
    role = role_check(reviewer, completion.project, STAFF_ROLES, denied=denied)
    if action not in ACTIONS:
        raise ApplicationError(f"action must be one of {', '.join(ACTIONS)}", field="action")
    if role == REVIEWER and completion.completed_by_id == reviewer.pk:
        raise Forbidden("reviewers don't review their own completions")
    if completion.was_cancelled:
        raise ApplicationError("a skipped task has no completion to review", field="action")
    comment = (comment or "").strip()
    if action == "reject" and not comment:
        raise ApplicationError("a rejection needs a comment saying what to fix", field="comment")

    correction = None
    if action == "correct":
        if result is None:
            raise ApplicationError("a correction needs the corrected result", field="result")
        correction = completion_create(
            task=completion.task,
            user=reviewer,
            result=result,
            parent_completion=completion,
            lead_time=None,
        )
    status = {
        "accept": Completion.Review.ACCEPTED,
        "reject": Completion.Review.REJECTED,
        "correct": Completion.Review.FIXED,
    }[action]
    qs = Completion.objects.filter(pk=completion.pk)
    sent = require_version(completion, version)
    if sent is not None:
        qs = qs.filter(version=sent)
    updated = qs.update(
        review_status=status,
        review_comment=comment,
        reviewed_by=reviewer,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        raise stale(completion.pk, sent)
    ReviewEvent.objects.create(
        completion=completion,
        user=reviewer,
        action={"accept": "accepted", "reject": "rejected", "correct": "corrected"}[action],
        comment=comment,
        result=correction.result if correction is not None else completion.result,
        correction=correction,
    )
    completion.refresh_from_db()
    return completion, correction


@transaction.atomic
def completion_mark_ground_truth(*, completion: Completion, user: User, value: bool = True) -> Completion:
    """Make this completion its task's ground truth (unmarking any other), or unmark it."""
    role_check(user, completion.project, STAFF_ROLES, denied="only managers and reviewers may mark ground truth")
    if value and completion.was_cancelled:
        raise ApplicationError("a skipped completion cannot be ground truth", field="value")
    lock_task(completion.task_id)
    if value:
        Completion.objects.filter(task_id=completion.task_id, ground_truth=True).exclude(pk=completion.pk).update(
            ground_truth=False
        )
    Completion.objects.filter(pk=completion.pk).update(ground_truth=bool(value))
    completion.ground_truth = bool(value)
    return completion


@transaction.atomic
def completions_mark_ground_truth(*, completions: QuerySet[Completion], user: User, value: bool = True) -> int:
    """Bulk form for the admin and the data manager. Refuses a selection with two completions of
    one task (there is at most one truth per task)."""
    rows = list(completions.select_related("project"))
    if value:
        twice = {t for t, n in Counter(c.task_id for c in rows).items() if n > 1}
        if twice:
            raise ApplicationError(
                f"pick one completion per task; several were selected for task(s) {', '.join(map(str, sorted(twice)))}"
            )
    for completion in sorted(rows, key=lambda c: c.task_id):  # one lock order: no deadlocks
        completion_mark_ground_truth(completion=completion, user=user, value=value)
    return len(rows)


@transaction.atomic
def completions_review(*, completions: QuerySet[Completion], reviewer: User, action: str, comment: str = "") -> int:
    """Bulk accept/reject (the admin's actions)."""
    if action not in ("accept", "reject"):
        raise ApplicationError("bulk review can only accept or reject", field="action")
    n = 0
    for completion in completions.select_related("project", "task").order_by("task_id"):
        completion_review(completion=completion, reviewer=reviewer, action=action, comment=comment)
        n += 1
    return n
