"""Completion writes: create, optimistic update, delete, skip.

Every write to a task's completions first locks the task row (SELECT ... FOR UPDATE; on SQLite
the IMMEDIATE transaction already serialises writers). That makes the one-per-annotator check,
the counter refresh and next-task's overlap count see one consistent state per task.

Every completion write also takes the project row's shared lock (FOR KEY SHARE; the same lock
the completion's foreign key takes anyway) before its result counts as checked: a config change
holds the row exclusively while it checks that no completion uses what it removes, so a submit
either commits before that check (and is seen by it) or waits and is checked against the new
config (``_config_changed``).

Updates are optimistic when the client asks for it: a client that sends the ``version`` it edited
(body or If-Match; our UI always does) gets ``UPDATE ... WHERE version=v``, which changes nothing
when someone saved in between, and a 409 with the current version. A client that sends no version
(Label Studio's SDK and legacy client) writes as in Label Studio: last write wins.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from labelstudio.core import events, rawsql
from labelstudio.core.events import ANNOTATION_CREATED, ANNOTATION_DELETED, ANNOTATION_UPDATED
from labelstudio.core.exceptions import ApplicationError, ConflictError, Forbidden
from labelstudio.core.models import Job
from projects.access import MANAGER, STAFF_ROLES, role_check
from projects.models import Project
from tasks.models import Task
from tasks.services import counters_sql, task_counters_refresh

from ..models import Completion, Draft, ReviewEvent, TaskLock
from .config_checks import check_result

UNSET: Any = object()  # "not sent" for completion_update's optional fields (None is a value there)


class ParentPrediction(Protocol):
    """The prediction a completion starts from (an ml_backends model: that sibling app is not
    imported here, docs/architecture.md "Layering contracts")."""

    @property
    def pk(self) -> Any: ...
    @property
    def task_id(self) -> int: ...


def completion_event(completion: Completion, event: str) -> None:
    """Announce a completion event inside the caller's transaction, right after the write; the
    subscribers (ML backends' /webhook, ml_backends/subscribers.py; webhooks,
    labelstudio/webhooks/subscribers.py) run on commit."""
    events.emit(event, completion=completion)


def lock_task(task_id: int) -> int | None:
    """Lock the task row (every writer of a task's completions does) and return its own overlap."""
    return Task.objects.select_for_update().filter(pk=task_id).values_list("overlap", flat=True).get()


def _lock_task_and_find(task_id: int, user_id: int) -> tuple[int | None, int | None]:
    """Lock the task row; its own overlap and the user's completion id, in one round trip. (If a
    concurrent submit of the same user commits while we wait for the lock, this snapshot misses
    it and the unique constraint catches it instead: completion_create turns that into a 409.)"""
    lock = " FOR UPDATE OF t" if connection.vendor == "postgresql" else ""
    row = rawsql.one(
        f"SELECT t.overlap, (SELECT c.id FROM {Completion._meta.db_table} c"  # noqa: S608
        f" WHERE c.task_id = t.id AND c.completed_by_id = %s) FROM {Task._meta.db_table} t WHERE t.id = %s{lock}",
        [user_id, task_id],
    )
    if row is None:
        raise Task.DoesNotExist
    return row[0], row[1]


def _check_payload(project: Project, task: Task, result: object, was_cancelled: bool) -> None:
    if not isinstance(result, list):
        raise ApplicationError("result must be a list of result items", field="result")
    if not result and not was_cancelled and not project.enable_empty_annotation:
        raise ApplicationError(
            "this project does not accept empty completions (enable_empty_annotation is off): "
            "label something or skip the task",
            field="result",
        )
    if result or not was_cancelled:
        check_result(project, task, result)


def _conflict_existing(existing: Completion) -> ConflictError:
    return ConflictError(
        f"you already have completion {existing.pk} for task {existing.task_id}; "
        f"change it with PATCH /api/annotations/{existing.pk}/ (version {existing.version})",
        id=existing.pk,
        version=existing.version,
        field="completed_by",
    )


def completion_create(
    *,
    task: Task,
    user: User,
    result: list[Any],
    was_cancelled: bool = False,
    lead_time: float | None = None,
    ground_truth: bool = False,
    draft_id: int | None = None,
    parent_prediction: ParentPrediction | None = None,
    parent_completion: Completion | None = None,
    import_job: Job | None = None,
) -> Completion:
    """Submit (or skip) a task. One completion per annotator and task: a second submit is a 409,
    except that a real answer replaces the user's own earlier skip of the task."""
    project = task.project
    role = role_check(user, project)
    if ground_truth and role not in STAFF_ROLES:
        raise Forbidden("only managers and reviewers mark ground truth", field="ground_truth")
    if was_cancelled and ground_truth:
        raise ApplicationError("a skipped completion cannot be ground truth", field="ground_truth")
    if was_cancelled and not project.show_skip_button and role not in STAFF_ROLES:
        raise ApplicationError("this project doesn't allow skipping tasks", field="was_cancelled")
    _check_payload(project, task, result, was_cancelled)
    if parent_prediction is not None and parent_prediction.task_id != task.pk:
        raise ApplicationError("parent_prediction belongs to another task", field="parent_prediction")
    fields: dict[str, Any] = dict(
        result=result,
        was_cancelled=was_cancelled,
        lead_time=lead_time,
        ground_truth=ground_truth,
        parent_prediction=parent_prediction,
        parent_completion=parent_completion,
    )
    try:
        return _create(task, user, fields, draft_id=draft_id, import_job=import_job)
    except IntegrityError as exc:  # the same user's concurrent submit won
        existing = Completion.objects.filter(task=task, completed_by=user).first()
        if existing is None:
            raise
        raise _conflict_existing(existing) from exc


@transaction.atomic
def _create(
    task: Task, user: User, fields: dict[str, Any], *, draft_id: int | None, import_job: Job | None
) -> Completion:
    project = task.project
    new = Completion(task=task, project=project, completed_by=user, import_job=import_job, **fields)
    completion: Completion | None = None
    event = ANNOTATION_CREATED
    if connection.vendor == "postgresql" and not fields["ground_truth"]:  # the usual submit
        _overlap, completion, version = _lock_and_insert(new, project.label_config_version)
        if version != project.label_config_version:
            _config_changed(project, task, fields)
    if completion is None:  # the user has a completion of this task already, ground truth, or a new config
        if lock_project_shared(project.pk) != project.label_config_version:
            _config_changed(project, task, fields)
        _overlap, existing_id = _lock_task_and_find(task.pk, user.pk)
        existing = Completion.objects.get(pk=existing_id) if existing_id else None
        was_cancelled = fields["was_cancelled"]
        if existing is not None and not (existing.was_cancelled and not was_cancelled):
            if existing.was_cancelled and was_cancelled:  # skipping again: nothing new to store
                _release(task.pk, user)
                return existing
            raise _conflict_existing(existing)
        if fields["ground_truth"]:
            Completion.objects.filter(task=task, ground_truth=True).update(ground_truth=False)
        if existing is not None:  # a real answer replaces the user's own skip
            for name, value in fields.items():
                setattr(existing, name, value)
            existing.version += 1
            existing.review_status, existing.review_comment = Completion.Review.NONE, ""
            existing.save()
            completion, event = existing, ANNOTATION_UPDATED
        else:
            completion = rawsql.insert(new)
    # release and recount touch different rows and see the insert above: one round trip
    rawsql.run_all([*_release_sql(task.pk, user, draft_id), counters_sql([task.pk])])
    completion_event(completion, event)
    return completion


def _lock_and_insert(new: Completion, config_version: int) -> tuple[int | None, Completion | None, int]:
    """PostgreSQL, one round trip: lock the project row (shared) and the task row, then insert the
    completion unless the user already has one or the config changed since the result was checked
    (the INSERT reads its row from the locking CTEs, so the locks come first, as on every other
    write path). Returns the task's own overlap, the completion (None when not inserted: the
    caller then takes the general path) and the project's current config version."""
    table, cols, typed, values = rawsql.insert_parts(new)
    row = rawsql.one(
        f"WITH p AS (SELECT label_config_version AS v FROM {Project._meta.db_table} WHERE id = %s FOR KEY SHARE),"  # noqa: S608
        f" locked AS (SELECT t.overlap FROM {Task._meta.db_table} t WHERE t.id = %s FOR UPDATE),"
        f" made AS (INSERT INTO {table} ({cols}) SELECT {typed} FROM locked, p WHERE p.v = %s"
        " ON CONFLICT (task_id, completed_by_id) DO NOTHING RETURNING id)"
        " SELECT locked.overlap, (SELECT id FROM made), (SELECT v FROM p) FROM locked",
        [new.project_id, new.task_id, *values, config_version],
    )
    if row is None:
        raise Task.DoesNotExist
    overlap, pk, version = row
    return overlap, (rawsql.saved(new, pk) if pk is not None else None), version


def lock_project_shared(project_id: int) -> int:
    """Take the project row's shared lock (held to the end of the transaction; a config change
    waits for it) and return the current config version."""
    lock = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""
    row = rawsql.one(
        f"SELECT label_config_version FROM {Project._meta.db_table} WHERE id = %s{lock}",  # noqa: S608
        [project_id],
    )
    if row is None:
        raise Project.DoesNotExist
    version: int = row[0]
    return version


def _config_changed(project: Project, task: Task, fields: dict[str, Any]) -> None:
    """The config changed after this result was checked (and before the lock): check it again
    against the new config; a result that no longer fits is a 400 and nothing is written."""
    project.refresh_from_db(fields=["label_config", "label_config_version", "parsed_label_config"])
    if "result" in fields:
        _check_payload(project, task, fields["result"], fields.get("was_cancelled", False))


def completion_skip(
    *, task: Task, user: User, lead_time: float | None = None, result: list[Any] | None = None
) -> Completion:
    """Skip = a cancelled completion (Label Studio's convention); the skip queue setting decides
    who sees the task again (services/distribution.py)."""
    return completion_create(task=task, user=user, result=result or [], was_cancelled=True, lead_time=lead_time)


def _release_sql(task_id: int, user: User, draft_id: int | None = None) -> list[tuple[str, list[object]]]:
    """Submitting ends the user's lock and drafts on the task."""
    locks, drafts = TaskLock._meta.db_table, Draft._meta.db_table
    return [
        (f"DELETE FROM {locks} WHERE task_id = %s AND user_id = %s", [task_id, user.pk]),  # noqa: S608
        (
            f"DELETE FROM {drafts} WHERE (task_id = %s AND user_id = %s) OR (id = %s AND user_id = %s)",  # noqa: S608
            [task_id, user.pk, draft_id or 0, user.pk],
        ),
    ]


def _release(task_id: int, user: User, draft_id: int | None = None) -> None:
    rawsql.run_all(_release_sql(task_id, user, draft_id))


def may_edit(user: User, completion: Completion) -> bool:
    """Authors edit their own completions; managers and reviewers edit any."""
    role = role_check(user, completion.project)
    return completion.completed_by_id == user.pk or role in STAFF_ROLES


def stale(completion_id: int, sent_version: int | None) -> ConflictError:
    current = Completion.objects.filter(pk=completion_id).values_list("version", flat=True).first()
    return ConflictError(
        f"completion {completion_id} was changed by someone else (your version {sent_version}, "
        f"current version {current}); reload it and apply your change again",
        id=completion_id,
        version=current,
        your_version=sent_version,
    )


def require_version(completion: Completion, version: object) -> int | None:
    """The sent version as an int; None when the client sent none (last write wins)."""
    if version is None or version == "":
        return None
    if not isinstance(version, int | str | float):  # a list or an object from the JSON body
        raise ApplicationError("version must be an integer", field="version")
    try:
        return int(version)
    except (TypeError, ValueError) as exc:
        raise ApplicationError("version must be an integer", field="version") from exc


@transaction.atomic
def completion_update(
    *,
    completion: Completion,
    user: User,
    version: object,
    result: object = UNSET,
    lead_time: float | None = UNSET,
    was_cancelled: bool = UNSET,
) -> Completion:
    """Change a completion if nobody saved since ``version`` (None: unconditionally); bumps the
    version. An author's edit of
    a rejected completion sends it back to the review queue."""
    if not may_edit(user, completion):
        raise Forbidden("you may only change your own completions")
    sent = require_version(completion, version)
    project, task = completion.project, completion.task
    changes: dict[str, Any] = {}
    if was_cancelled is not UNSET:
        changes["was_cancelled"] = bool(was_cancelled)
        if was_cancelled and completion.ground_truth:
            raise ApplicationError("a ground-truth completion cannot be skipped", field="was_cancelled")
    if result is not UNSET:
        _check_payload(project, task, result, changes.get("was_cancelled", completion.was_cancelled))
        changes["result"] = result
    if lead_time is not UNSET:
        changes["lead_time"] = lead_time
    resubmitted = completion.completed_by_id == user.pk and completion.review_status == Completion.Review.REJECTED
    if resubmitted:  # back to the review queue; the comment stays readable in the history
        changes["review_status"] = Completion.Review.NONE
    if "result" in changes and lock_project_shared(project.pk) != project.label_config_version:
        cancelled = changes.get("was_cancelled", completion.was_cancelled)
        _config_changed(project, task, {"result": changes["result"], "was_cancelled": cancelled})
    counters = "was_cancelled" in changes and changes["was_cancelled"] != completion.was_cancelled
    if counters:
        lock_task(task.pk)
    target = Completion.objects.filter(pk=completion.pk)
    if sent is not None:
        target = target.filter(version=sent)
    updated = target.update(version=F("version") + 1, updated_at=timezone.now(), **changes)
    if not updated:
        raise stale(completion.pk, sent)
    completion.refresh_from_db()
    if resubmitted:
        ReviewEvent.objects.create(completion=completion, user=user, action="resubmitted", result=completion.result)
    Draft.objects.filter(task_id=task.pk, user=user).delete()
    if counters:
        task_counters_refresh([task.pk])
    completion_event(completion, ANNOTATION_UPDATED)
    return completion


@transaction.atomic
def completion_delete(*, completion: Completion, user: User, version: object = None) -> None:
    """Authors delete their own completions, managers any. ``version``, when sent, must be current."""
    role = role_check(user, completion.project)
    if completion.completed_by_id != user.pk and role != MANAGER:
        raise Forbidden("only the author or a manager may delete a completion")
    lock_task(completion.task_id)
    qs = Completion.objects.filter(pk=completion.pk)
    sent = require_version(completion, version)
    if sent is not None:
        qs = qs.filter(version=sent)
    if not qs.delete()[0]:
        if Completion.objects.filter(pk=completion.pk).exists():
            raise stale(completion.pk, sent)
        return
    task_counters_refresh([completion.task_id])
    completion_event(completion, ANNOTATION_DELETED)
