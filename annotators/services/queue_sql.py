"""SQL of the next-task queue, written out by hand: it runs on every request of every annotator,
and building these statements through the ORM cost more than running them.

Only constants (table names, vendor syntax) are formatted into the text; values are parameters.
PostgreSQL gets ``FOR UPDATE ... SKIP LOCKED``; on SQLite the IMMEDIATE transaction already
serialises writers, so the locking clauses are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from django.contrib.auth.models import User
from django.db import connection

from projects.models import Membership, Project
from tasks.models import Task
from tasks.selectors import TASK

from ..models import Completion, Draft, QualitySettings, TaskAssignment, TaskLock

T, C, L = Task._meta.db_table, Completion._meta.db_table, TaskLock._meta.db_table
A, Q, M = TaskAssignment._meta.db_table, QualitySettings._meta.db_table, Membership._meta.db_table
D = Draft._meta.db_table


# Per-row EXISTS probes end with this: a LIMIT/OFFSET keeps PostgreSQL from turning them into a
# join or a hashed subplan, which reads every matching row of the table (all of a user's
# completions, all predictions) when its statistics are stale; probing the few candidate rows
# through the unique indexes is what we want whatever the statistics say.
PROBE = "LIMIT 1 OFFSET 0"


def _pg() -> bool:
    return connection.vendor == "postgresql"


def has_priority() -> str:
    """Same expression as the partial index task_priority_idx, so PostgreSQL uses it."""
    return "t.meta ? 'priority'" if _pg() else "json_type(t.meta, '$.priority') IS NOT NULL"


def priority_order() -> str:
    key = "t.meta -> 'priority'" if _pg() else "json_extract(t.meta, '$.priority')"
    return f"{key} DESC NULLS LAST, t.id"


def placeholders(n: int) -> str:
    return ", ".join(["%s"] * n)


MEMBER_LOCK = f"SELECT 1 FROM {M} WHERE project_id = %s AND user_id = %s FOR UPDATE"  # noqa: S608


def state_sql(defer: list[int] | None = None) -> str:
    """The task of the user's oldest rejected completion (see ``rejected_sql``; its parameters come
    first), the user's held task, the honeypot share, and whether assignments/priority tasks exist."""
    return f"""
    SELECT
      ({rejected_sql(defer or [])}),
      (SELECT l.task_id FROM {L} l JOIN {T} t ON t.id = l.task_id
        WHERE l.user_id = %s AND t.project_id = %s AND l.expire_at > %s
          AND NOT EXISTS (SELECT 1 FROM {C} c
                          WHERE c.task_id = l.task_id AND c.completed_by_id = %s AND NOT c.was_cancelled {PROBE})
        ORDER BY l.expire_at DESC LIMIT 1),
      (SELECT q.honeypot_share FROM {Q} q WHERE q.project_id = %s),
      EXISTS (SELECT 1 FROM {A} a WHERE a.project_id = %s),
      EXISTS (SELECT 1 FROM {T} t WHERE t.project_id = %s AND {has_priority()} AND NOT t.is_labeled)
    """  # noqa: S608


def rejected_sql(defer: list[int]) -> str:
    """The task of the user's oldest rejected completion in the project (partial index
    completion_rejected_idx), leaving out the tasks the user put off for now."""
    later = f" AND c.task_id NOT IN ({placeholders(len(defer))})" if defer else ""
    return (
        f"SELECT c.task_id FROM {C} c WHERE c.project_id = %s AND c.completed_by_id = %s"  # noqa: S608
        f" AND c.review_status = 'rejected'{later} ORDER BY c.id LIMIT 1"
    )


# tasks the user could label but that others hold right now ("N tasks are being labeled by others")
LOCKED_BY_OTHERS = f"""
    SELECT COUNT(DISTINCT l.task_id) FROM {L} l JOIN {T} t ON t.id = l.task_id
    WHERE t.project_id = %s AND NOT t.is_labeled AND l.expire_at > %s AND l.user_id <> %s
      AND NOT EXISTS (SELECT 1 FROM {C} c WHERE c.task_id = t.id AND c.completed_by_id = %s {PROBE})
"""  # noqa: S608

HONEYPOT_PROGRESS = f"""
    SELECT COUNT(*), COALESCE(SUM(CASE WHEN c.task_id IN (
        SELECT g.task_id FROM {C} g WHERE g.project_id = %s AND g.ground_truth) THEN 1 ELSE 0 END), 0)
    FROM {C} c WHERE c.project_id = %s AND c.completed_by_id = %s
"""  # noqa: S608

UNLABELED_BOUNDS = f"SELECT MIN(id), MAX(id) FROM {T} WHERE project_id = %s AND NOT is_labeled"  # noqa: S608

EXTEND_LOCK = f"UPDATE {L} SET expire_at = %s WHERE task_id = %s AND user_id = %s"  # noqa: S608

# the user's other locks in the project and dead locks of others on the task go; the new lock
# is an upsert (an expired lock of the same user on the same task may still be there)
RELEASE_AND_CLEAN = f"""
    DELETE FROM {L}
    WHERE (user_id = %s AND task_id <> %s AND EXISTS (
             SELECT 1 FROM {T} t WHERE t.id = {L}.task_id AND t.project_id = %s))
       OR (task_id = %s AND user_id <> %s AND expire_at <= %s)
"""  # noqa: S608
UPSERT_LOCK = f"""
    INSERT INTO {L} (task_id, user_id, expire_at) VALUES (%s, %s, %s)
    ON CONFLICT (task_id, user_id) DO UPDATE SET expire_at = EXCLUDED.expire_at
"""  # noqa: S608
# PostgreSQL: both, and the task row, in one round trip (the two touch disjoint lock rows)
LOCK_AND_FETCH = f"""
    WITH gone AS ({RELEASE_AND_CLEAN}), made AS ({UPSERT_LOCK})
    SELECT {TASK.columns} FROM {T} t WHERE t.id = %s
"""  # noqa: S608

# conditions on a candidate task ``t``
ANSWERED_BY_USER = f"EXISTS (SELECT 1 FROM {C} c WHERE c.task_id = t.id AND c.completed_by_id = %s {PROBE})"  # noqa: S608
ASSIGNED_TO_ANYONE = f"EXISTS (SELECT 1 FROM {A} a WHERE a.task_id = t.id {PROBE})"  # noqa: S608
ASSIGNED_TO_USER = f"EXISTS (SELECT 1 FROM {A} a WHERE a.task_id = t.id AND a.user_id = %s {PROBE})"  # noqa: S608
SKIPPED_BY_USER = (
    f"EXISTS (SELECT 1 FROM {C} c WHERE c.task_id = t.id AND c.completed_by_id = %s AND c.was_cancelled {PROBE})"  # noqa: S608
)
GROUND_TRUTH_TASK = f"t.id IN (SELECT g.task_id FROM {C} g WHERE g.project_id = %s AND g.ground_truth)"  # noqa: S608
LIVE_LOCKS = f"(SELECT COUNT(*) FROM {L} l WHERE l.task_id = t.id AND l.expire_at > %s)"  # noqa: S608


class Queue(Protocol):
    """What the statements read of a next-task queue (``distribution._Queue``)."""

    @property
    def project(self) -> Project: ...
    @property
    def user(self) -> User: ...
    @property
    def now_db(self) -> object: ...  # the database's form of "now" (connection.ops)
    @property
    def has_assignments(self) -> bool: ...
    @property
    def ignore_skipped(self) -> bool: ...


@dataclass
class Candidates:
    """One picker's candidate set: extra conditions, an order, and which standard filters apply."""

    where: list[str] = field(default_factory=list)
    params: list[object] = field(default_factory=list)
    order: str = "t.id"
    join: str = ""
    join_params: list[object] = field(default_factory=list)
    fresh: bool = True  # the user never answered or skipped it
    open: bool = True  # counters + live locks below the overlap (a prefilter; recount decides)
    unassigned: bool = True  # not manually assigned to anyone (assigned tasks have their own picker)
    exempt: bool = False  # served whatever its overlap (honeypots)
    own_skip: bool = False  # the user's own skipped task (REQUEUE_FOR_ME)
    probe: bool = False  # usually empty: ask without locking first


def candidates_sql(
    c: Candidates, q: Queue, *, limit: int, exclude: list[int], lock: str | None
) -> tuple[str, list[object]]:
    """SELECT of candidate task ids for queue ``q`` (project, user, now, capacity, flags)."""
    where: list[str] = ["t.project_id = %s"]
    params: list[object] = [q.project.pk]
    if c.fresh:
        where.append(f"NOT {ANSWERED_BY_USER}")
        params.append(q.user.pk)
    if c.unassigned and q.has_assignments:
        where.append(f"NOT {ASSIGNED_TO_ANYONE}")
    if c.open:
        used = "t.total_annotations + t.cancelled_annotations" if q.ignore_skipped else "t.total_annotations"
        where.append(f"NOT t.is_labeled AND {used} + {LIVE_LOCKS} < COALESCE(t.overlap, %s)")
        params += [q.now_db, q.project.maximum_annotations]
    where += c.where
    params += c.params
    if exclude:
        where.append(f"t.id NOT IN ({placeholders(len(exclude))})")
        params += exclude
    tail = ""
    if lock and _pg():
        tail = " FOR UPDATE OF t SKIP LOCKED" if lock == "skip" else " FOR UPDATE OF t"
    sql = f"SELECT t.id FROM {T} t {c.join} WHERE {' AND '.join(where)} ORDER BY {c.order} LIMIT {int(limit)}{tail}"  # noqa: S608
    return sql, [*c.join_params, *params]


def recount_sql(q: Queue, ids: list[int], *, own_skip: bool) -> tuple[str, list[object]]:
    """Exact completions (by others) and live locks (of others) of row-locked candidates, and
    whether the user already answered each — one statement, one snapshot. Also whether the task
    has predictions and the user a draft, so the payload skips those queries when not."""
    # cross-app import (a listed exception in pyproject.toml): the queue orders by prediction score
    from ml_backends.models import Prediction

    counted = "" if q.ignore_skipped else " AND NOT c.was_cancelled"
    mine = " AND NOT c.was_cancelled" if own_skip else ""
    sql = f"""
    SELECT t.id, COALESCE(t.overlap, %s),
      (SELECT COUNT(*) FROM {C} c WHERE c.task_id = t.id AND c.completed_by_id <> %s{counted}),
      (SELECT COUNT(*) FROM {L} l WHERE l.task_id = t.id AND l.expire_at > %s AND l.user_id <> %s),
      EXISTS (SELECT 1 FROM {C} c WHERE c.task_id = t.id AND c.completed_by_id = %s{mine} {PROBE}),
      EXISTS (SELECT 1 FROM {Prediction._meta.db_table} p WHERE p.task_id = t.id {PROBE}),
      EXISTS (SELECT 1 FROM {D} d WHERE d.task_id = t.id AND d.user_id = %s {PROBE})
    FROM {T} t WHERE t.id IN ({placeholders(len(ids))})
    """  # noqa: S608
    u = q.user.pk
    return sql, [q.project.maximum_annotations, u, q.now_db, u, u, u, *ids]
