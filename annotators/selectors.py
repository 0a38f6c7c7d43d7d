"""Reads of the annotators app: which completions a user may see, the review queue, the payload
of the next task, and filters other apps reuse (review state for the data manager and export)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Exists, OuterRef, Q, QuerySet

from labelstudio.core.exceptions import NotFound
from projects.access import ANNOTATOR, STAFF_ROLES, as_id, role_of
from projects.models import Membership, Project
from tasks.models import Task

from .models import Completion, Draft, ReviewEvent, TaskAssignment

REVIEW_STATES = ("pending", "accepted", "rejected", "fixed", "reviewed")


def completions_visible_to(user: User, project: Project | int) -> QuerySet[Completion]:
    """Completions of a project the user may read: all for managers and reviewers (and annotators
    when the project says so), only their own for annotators, none for non-members."""
    role = role_of(user, project)
    project_id = project if isinstance(project, int) else project.pk
    qs = Completion.objects.filter(project_id=project_id)
    if role is None:
        return qs.none()
    if role == ANNOTATOR:
        see_all = Project.objects.filter(pk=project_id).values_list("annotators_see_all", flat=True).first()
        if not see_all:
            qs = qs.filter(completed_by=user)
    return qs


def completions_readable_by(user: User | AnonymousUser | None) -> QuerySet[Completion]:
    """Completions of every project the user may read (for filters over many projects, such as
    ``GET /api/tasks/?annotator=``): their own, and all of projects where they are manager or
    reviewer, or annotator of a project whose annotators see each other's work."""
    qs = Completion.objects.all()
    if user is None or user.is_superuser:
        return qs
    if not user.is_authenticated:
        return qs.none()

    open_projects = Membership.objects.filter(user=user).filter(
        Q(role__in=STAFF_ROLES) | Q(role=ANNOTATOR, project__annotators_see_all=True)
    )
    return qs.filter(Q(completed_by=user) | Q(project_id__in=open_projects.values("project_id")))


def sees_others_work(user: User, project: Project) -> bool:
    """Whether the user may see other people's completions, names and agreement in the project."""
    role = role_of(user, project)
    return role in STAFF_ROLES or (role == ANNOTATOR and project.annotators_see_all)


def completion_for(user: User, completion_id: object) -> Completion:
    """The completion ``completion_id`` names (project and task loaded) if the user may read it
    (``completions_visible_to``); NotFound otherwise, also for a junk id, so ids don't leak:
    projects.access.project_for for completions. What they may do with it, the services decide."""
    pk = as_id(completion_id)
    completion = None
    if pk is not None:
        completion = Completion.objects.select_related("project", "task").filter(pk=pk).first()
    if completion is None or not completions_visible_to(user, completion.project).filter(pk=completion.pk).exists():
        raise NotFound("no such annotation")
    return completion


def filter_completions_by_review(qs: QuerySet[Completion], state: str | None) -> QuerySet[Completion]:
    """``pending`` (submitted, not yet reviewed), ``accepted``, ``rejected``, ``fixed`` or
    ``reviewed`` (any of the three). Skipped completions are never pending review."""
    if not state:
        return qs
    if state == "pending":
        return qs.filter(review_status=Completion.Review.NONE, was_cancelled=False)
    if state == "reviewed":
        return qs.exclude(review_status=Completion.Review.NONE)
    return qs.filter(review_status=state)


def filter_tasks_by_review(tasks: QuerySet[Task], state: str | None) -> QuerySet[Task]:
    """Tasks having at least one completion in the review state (the data manager's filter and
    the export option), as an EXISTS over the completion index."""
    if not state:
        return tasks
    matching = filter_completions_by_review(Completion.objects.filter(task=OuterRef("pk")), state)
    return tasks.filter(Exists(matching))


def review_queue_for(user: User, project: Project, state: str | None = None) -> QuerySet[Completion]:
    """Staff: completions waiting for review (not their own), oldest first. Annotators: their own
    rejected completions, to fix."""
    role = role_of(user, project)
    qs = Completion.objects.filter(project=project).select_related("completed_by", "reviewed_by")
    if role in STAFF_ROLES:
        return filter_completions_by_review(qs, state or "pending").exclude(completed_by=user).order_by("id")
    return qs.filter(completed_by=user, review_status=Completion.Review.REJECTED).order_by("id")


def review_history(completion: Completion) -> list[dict[str, Any]]:
    """What happened to a completion, oldest first: its submission (with the result as first
    submitted), then each review step and resubmission from ReviewEvent."""
    events = list(ReviewEvent.objects.filter(completion=completion).select_related("user").order_by("id"))
    original = next((e.result for e in events if e.action == ReviewEvent.Action.REJECTED), completion.result)
    steps = [
        {
            "action": "submitted",
            "user": completion.completed_by_id,
            "username": completion.completed_by.get_username(),
            "comment": "",
            "result": original,
            "correction": None,
            "created_at": completion.created_at,
        }
    ]
    for e in events:
        steps.append(
            {
                "action": e.action,
                "user": e.user_id,
                "username": e.user.get_username() if e.user else "",
                "comment": e.comment,
                "result": e.result,
                "correction": e.correction_id,
                "created_at": e.created_at,
            }
        )
    return steps


def draft_of(user: User, task: Task) -> Draft | None:
    return Draft.objects.filter(user=user, task=task).first()


@dataclass
class LabelingParts:
    """What the labeling page gets with a task besides the task itself."""

    predictions: list[Any]  # the current model version's, newest first (at most 20)
    draft: Draft | None  # the user's draft
    own: Completion | None  # the user's earlier completion (a skip to redo, or rejected work)


def labeling_parts(task: Task, user: User) -> LabelingParts:
    """The current model version's predictions, the user's draft and their earlier (skipped or
    rejected) completion of a task they are about to label (serializers.next_task_json makes the
    JSON)."""
    # cross-app import (a listed exception in pyproject.toml): completions made from a prediction read it
    from ml_backends.models import Prediction

    from .services.distribution import current_model_version

    predictions = []
    if getattr(task, "has_predictions", True):  # next_task_for already knows; skip the query when none
        predictions = list(Prediction.objects.filter(task=task).order_by("-id")[:50])
    if predictions:  # most tasks have none: skip the model-version lookup then
        version = current_model_version(task.project)
        if version is not None:
            predictions = [p for p in predictions if p.model_version == version]
    draft = draft_of(user, task) if getattr(task, "has_draft", True) else None
    own = None
    rejected = getattr(task, "rejected", False)  # next_task_for brought back a rejected completion
    if rejected or task.project.skip_queue == Project.SkipQueue.REQUEUE_FOR_ME:  # else it is a fresh task
        own = Completion.objects.filter(task=task, completed_by=user).first()
    return LabelingParts(predictions=predictions[:20], draft=draft, own=own)


def assignments_of(project: Project, user_id: int | None = None) -> QuerySet[TaskAssignment]:
    qs = TaskAssignment.objects.filter(project=project).order_by("id")
    return qs.filter(user_id=user_id) if user_id else qs
