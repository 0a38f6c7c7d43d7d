"""Next task for an annotator: overlap, locks, sampling, skips, assignments, honeypots, priority.

How a task is handed out (one transaction):

1. Lock the caller's Membership row, so one user's concurrent requests run one after another and
   a repeated request returns the task they already hold (their live lock is refreshed).
2. Walk candidates in the queue's order through indexes — (project, is_labeled, id) for
   sequential — excluding tasks the user already answered (NOT EXISTS on the unique
   (task, completed_by) index) and tasks that look full (counter + live locks >= overlap).
3. Lock a small batch of those task rows with ``FOR UPDATE SKIP LOCKED`` (concurrent requests
   take different rows instead of queueing), then recount completions and live locks of each in
   one fresh statement. Every writer of a task's completions holds the same row lock
   (services/completions.py), so that count cannot change before we commit.
4. Take the first task still under its overlap: drop the user's other locks in the project and
   insert a TaskLock that expires after ``project.task_lock_ttl`` seconds.

On SQLite ``FOR UPDATE`` is a no-op, but every transaction is ``BEGIN IMMEDIATE`` so writers run
one at a time and the same recount is exact.

Queue order: the user's completions that a reviewer rejected (oldest first, unlocked: they are
answered already; ``defer`` puts some off); the held task; HITL priority tasks (``meta.priority``, higher first); a honeypot when
due; tasks manually assigned to the user; then the project's sampling (sequential, uniform random,
uncertainty = lowest prediction score of the current model version first, breadth-first = tasks
with the most completions first); last, with ``REQUEUE_FOR_ME``, the user's own skipped tasks.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from labelstudio.core import rawsql
from projects.access import role_check
from projects.models import Project
from tasks.models import Task
from tasks.selectors import TASK

from ..models import TaskLock
from . import queue_sql as sql
from .completions import lock_task
from .queue_sql import Candidates

BATCH = 4  # rows locked per attempt: small, so concurrent requests rarely collide
ROUNDS = 5
RETRYABLE = {"40P01", "40001"}  # deadlock detected, serialization failure


def next_task_for(user: User, project: Project, *, defer: list[int] | None = None) -> Task | None:
    """The task the user should label next, locked for them; None when nothing is left. A task
    whose completion a reviewer rejected comes back to its author first (marked ``rejected``),
    except those in ``defer`` (the ones the user has seen and put off in this session)."""
    role_check(user, project)
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _Queue(user, project, defer).next()
        except OperationalError as exc:
            if attempt == 2 or getattr(exc.__cause__, "sqlstate", None) not in RETRYABLE:
                raise
    return None


class _Queue:
    def __init__(self, user: User, project: Project, defer: list[int] | None = None):
        self.user, self.project = user, project
        self.defer = [int(t) for t in (defer or [])][:100]
        self.now = timezone.now()
        self.now_db = connection.ops.adapt_datetimefield_value(self.now)
        self.expire_db = connection.ops.adapt_datetimefield_value(self.now + timedelta(seconds=project.task_lock_ttl))
        self.ignore_skipped = project.skip_queue == Project.SkipQueue.IGNORE_SKIPPED
        self.has_assignments = False

    # --- the order --------------------------------------------------------------------------
    def next(self) -> Task | None:
        p, u = self.project.pk, self.user.pk
        if connection.vendor == "postgresql":  # one user's requests run one after another
            rawsql.run(sql.MEMBER_LOCK, [p, u])
        state = rawsql.one_row(sql.state_sql(self.defer), [p, u, *self.defer, u, p, self.now_db, u, p, p, p])
        rejected, held, share, self.has_assignments, has_priority = state
        if rejected is not None:  # rejected work goes back to its author first (no lock: it is answered)
            task = Task.objects.get(pk=rejected)
            task.rejected = True
            return task
        if held is not None:  # asked again before answering: the same task, lock extended
            rawsql.run(sql.EXTEND_LOCK, [self.expire_db, held, u])
            return Task.objects.get(pk=held)
        pickers: list[Candidates | None] = []
        if has_priority:
            pickers.append(Candidates(where=[sql.has_priority()], order=sql.priority_order()))
        if share and self._honeypot_due(share):
            pickers.append(self._honeypots())
        if self.has_assignments:
            pickers.append(
                Candidates(
                    where=[sql.ASSIGNED_TO_USER],
                    params=[u],
                    unassigned=False,
                    probe=True,
                )
            )
        pickers += self._sampling()
        if self.project.skip_queue == Project.SkipQueue.REQUEUE_FOR_ME:
            pickers.append(
                Candidates(
                    where=[sql.SKIPPED_BY_USER],
                    params=[u],
                    fresh=False,
                    own_skip=True,
                    probe=True,
                )
            )
        for candidates in pickers:
            if candidates is None:
                continue
            taken = self._take(candidates)
            if taken is not None:
                return self._lock(*taken)
        return None

    def _honeypot_due(self, share: float) -> bool:
        """Serve a honeypot while the user's share of them is below the project's share."""
        done, honeypots = rawsql.one_row(sql.HONEYPOT_PROGRESS, [self.project.pk, self.project.pk, self.user.pk])
        return bool(honeypots < share * (done + 1))

    def _honeypots(self) -> Candidates:
        """Ground-truth tasks the user hasn't seen: served whatever their overlap, scored later."""
        return Candidates(
            where=[sql.GROUND_TRUTH_TASK],
            params=[self.project.pk],
            open=False,
            exempt=True,
            probe=True,
        )

    def _sampling(self) -> list[Candidates | None]:
        sampling = self.project.sampling
        if sampling == Project.Sampling.RANDOM:
            return self._random()
        if sampling == Project.Sampling.UNCERTAINTY:
            version = current_model_version(self.project)
            uncertain = None
            if version is not None:
                uncertain = Candidates(
                    join=f"JOIN {_prediction_table()} p ON p.task_id = t.id AND p.model_version = %s",
                    join_params=[version],
                    order="p.score ASC NULLS LAST, t.id",
                )
            return [uncertain, Candidates()]
        if sampling == Project.Sampling.BREADTH_FIRST:  # started tasks first (partial index task_started_idx)
            return [Candidates(where=["t.total_annotations > 0"], order="t.total_annotations DESC, t.id"), Candidates()]
        return [Candidates()]

    def _random(self) -> list[Candidates | None]:
        """Uniform-ish: start the index walk at a random id and wrap around (no ORDER BY random()
        over a million rows)."""
        lo, hi = rawsql.one_row(sql.UNLABELED_BOUNDS, [self.project.pk])
        if lo is None:
            return []
        pivot = random.randint(lo, hi)
        return [Candidates(where=["t.id >= %s"], params=[pivot]), Candidates(where=["t.id < %s"], params=[pivot])]

    # --- taking one -------------------------------------------------------------------------
    def _take(self, c: Candidates) -> tuple[int, bool, bool] | None:
        """Lock a few candidate rows (skipping rows other requests hold), recount them exactly,
        and return the first still under its overlap."""
        if c.probe and not rawsql.rows(*sql.candidates_sql(c, self, limit=1, exclude=[], lock=None)):
            return None
        checked: list[int] = []
        for _round in range(ROUNDS):
            ids = [r[0] for r in rawsql.rows(*sql.candidates_sql(c, self, limit=BATCH, exclude=checked, lock="skip"))]
            if not ids and connection.vendor == "postgresql":
                # nothing free, or every candidate row is busy in another transaction: if there
                # are candidates at all, wait for them rather than report an empty queue
                if not rawsql.rows(*sql.candidates_sql(c, self, limit=1, exclude=checked, lock=None)):
                    return None
                ids = [
                    r[0] for r in rawsql.rows(*sql.candidates_sql(c, self, limit=BATCH, exclude=checked, lock="wait"))
                ]
            if not ids:
                return None
            ids = list(dict.fromkeys(ids))
            state = {row[0]: row[1:] for row in rawsql.rows(*sql.recount_sql(self, ids, own_skip=c.own_skip))}
            for task_id in ids:
                capacity, done, locked, mine, predictions, draft = state[task_id]
                if not mine and (c.exempt or done + locked < capacity):
                    return task_id, bool(predictions), bool(draft)
            checked += ids
        return None

    def _lock(self, task_id: int, has_predictions: bool, has_draft: bool) -> Task:
        """Drop the user's other locks in the project and dead locks on the task, lock it for the
        user, and load it (one round trip on PostgreSQL)."""
        p, u = self.project.pk, self.user.pk
        release = [u, task_id, p, task_id, u, self.now_db]
        upsert = [task_id, u, self.expire_db]
        if connection.vendor == "postgresql":
            task: Task = TASK.build(rawsql.one_row(sql.LOCK_AND_FETCH, [*release, *upsert, task_id]))
        else:
            rawsql.run(sql.RELEASE_AND_CLEAN, release)
            rawsql.run(sql.UPSERT_LOCK, upsert)
            task = Task.objects.get(pk=task_id)
        task.has_predictions, task.has_draft = has_predictions, has_draft  # read by selectors.labeling_parts
        return task


def _prediction_table() -> str:
    # cross-app import (a listed exception in pyproject.toml): the queue orders by prediction score
    from ml_backends.models import Prediction

    return Prediction._meta.db_table


def current_model_version(project: Project) -> str | None:
    """The model version whose predictions annotators see and uncertainty sampling reads (the ML
    app decides: the project's, else a backend's, else the newest prediction's)."""
    # cross-app import (a listed exception in pyproject.toml): the one uncertainty query, shared with ML
    from ml_backends.selectors import current_model_version as ml_current_model_version

    return ml_current_model_version(project) or None


def tasks_locked_by_others(user: User, project: Project) -> int:
    """How many unfinished tasks the user hasn't answered are held by others right now (what the
    user may still get once those locks are released or expire)."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    count: int = rawsql.one_row(sql.LOCKED_BY_OTHERS, [project.pk, now, user.pk, user.pk])[0]
    return count


def task_lock_heartbeat(*, user: User, task: Task) -> bool:
    """The labeling page is still open on the task: extend the user's live lock by the project's
    lock time, or — when it lapsed (the page was reloaded, which released it on pagehide; a laptop
    slept) or the page was opened on this task directly — take it again if the task still has room
    for the user, exactly as next-task would. False when it has none (others' completions and live
    locks reach its overlap) or the user answered it already."""
    now = timezone.now()
    expire = now + timedelta(seconds=task.project.task_lock_ttl)
    if TaskLock.objects.filter(user=user, task=task, expire_at__gt=now).update(expire_at=expire):
        return True
    role_check(user, task.project)
    with transaction.atomic():
        queue = _Queue(user, task.project)
        if connection.vendor == "postgresql":
            rawsql.run(sql.MEMBER_LOCK, [task.project_id, user.pk])
        lock_task(task.pk)  # the row lock every writer of the task's completions takes
        (row,) = rawsql.rows(*sql.recount_sql(queue, [task.pk], own_skip=False))
        _id, capacity, done, locked, mine, _predictions, _draft = row
        if mine or done + locked >= capacity:
            return False
        queue._lock(task.pk, False, False)
        return True


def task_locks_release(*, user: User, task: Task) -> int:
    """Give a task back without answering it (the labeling page was closed)."""
    return TaskLock.objects.filter(user=user, task=task).delete()[0]


def task_locks_expire() -> int:
    """Delete locks past their expiry (next-task ignores them already; this keeps the table small)."""
    return TaskLock.objects.filter(expire_at__lt=timezone.now()).delete()[0]
