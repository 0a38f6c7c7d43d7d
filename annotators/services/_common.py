"""Helpers the annotators services share: role checks and the per-task counter statement.
(The config checks are in config_checks.py; completion events are emitted by completions.py.)"""

from __future__ import annotations

import logging

from labelstudio.core import rawsql
from labelstudio.core.exceptions import ApplicationError
from projects.permissions import MANAGER, REVIEWER, STAFF_ROLES, role_of
from tasks.models import Task

from ..models import Completion

log = logging.getLogger(__name__)

__all__ = ["MANAGER", "REVIEWER", "STAFF_ROLES"]


class Forbidden(ApplicationError):
    status_code = 403


class NotFound(ApplicationError):
    status_code = 404


def require_member(user, project) -> str:
    """The user's role; a non-member gets the same 404 as for a project that doesn't exist."""
    role = role_of(user, project)
    if role is None:
        raise NotFound("no such project")
    return role


def require_staff(user, project, doing: str) -> str:
    role = require_member(user, project)
    if role not in STAFF_ROLES:
        raise Forbidden(f"only managers and reviewers may {doing}")
    return role


def counters_sql(task_id: int, overlap: int | None, project) -> tuple[str, list]:
    """The statement behind ``refresh_task_counters``, to run alone or with other writes."""

    capacity = overlap if overlap is not None else project.maximum_annotations
    sql = (
        f"UPDATE {Task._meta.db_table} SET total_annotations = c.n, cancelled_annotations = c.k,"  # noqa: S608
        " is_labeled = (c.n >= %s) FROM (SELECT COUNT(*) FILTER (WHERE NOT was_cancelled) AS n,"
        f" COUNT(*) FILTER (WHERE was_cancelled) AS k FROM {Completion._meta.db_table} WHERE task_id = %s) c"
        f" WHERE {Task._meta.db_table}.id = %s"
    )
    return sql, [capacity, task_id, task_id]


def refresh_task_counters(task_id: int, overlap: int | None, project) -> None:
    """Recount one task's completions and set its counters and ``is_labeled``, for a task whose
    row the caller has locked (so the count can't change before commit). Same result as
    tasks.services.task_counters_refresh([task_id]), in one small statement instead of two
    ORM-built UPDATEs — this runs on every submit."""
    rawsql.run(*counters_sql(task_id, overlap, project))
