"""Helpers the annotators services share: the role names, the parsed config, result checks, counters and
the completion events."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import TYPE_CHECKING

from labelstudio.core import events, rawsql
from labelstudio.core.exceptions import ApplicationError
from projects import label_config as lc
from projects.access import MANAGER, REVIEWER, STAFF_ROLES
from projects.models import Project
from projects.services import result_size_check

if TYPE_CHECKING:
    from tasks.models import Task

    from ..models import Completion

log = logging.getLogger(__name__)

ANNOTATION_CREATED = events.ANNOTATION_CREATED
ANNOTATION_UPDATED = events.ANNOTATION_UPDATED
ANNOTATION_DELETED = events.ANNOTATION_DELETED

__all__ = ["MANAGER", "REVIEWER", "STAFF_ROLES"]


@lru_cache(maxsize=128)
def _parsed(text: str) -> lc.LabelConfig:
    return lc.parse(text)


def config_of(project: Project) -> lc.LabelConfig:
    """The project's parsed config, cached per config text (parsing costs more than the rest of a
    completion save)."""
    return _parsed(project.label_config)


def check_result(project: Project, task: Task | None, result: object) -> None:
    """A result that doesn't fit the config (or holds more regions than the project allows) is a
    400 naming the first bad item and field."""
    result_size_check(project, result)
    errors = config_of(project).validate_result(result, task.data if task is not None else None)
    if errors:
        first = errors[0]
        raise ApplicationError(
            str(first),
            field=f"result[{first.index}].{first.field}" if first.index is not None else "result",
            index=first.index,
            item_field=first.field,
            errors=[e.as_dict() for e in errors[:50]],
        )


def counters_sql(task_id: int, overlap: int | None, project: Project) -> tuple[str, list[object]]:
    """The statement behind ``refresh_task_counters``, to run alone or with other writes."""
    from tasks.models import Task

    from ..models import Completion

    capacity = overlap if overlap is not None else project.maximum_annotations
    sql = (
        f"UPDATE {Task._meta.db_table} SET total_annotations = c.n, cancelled_annotations = c.k,"  # noqa: S608
        " is_labeled = (c.n >= %s) FROM (SELECT COUNT(*) FILTER (WHERE NOT was_cancelled) AS n,"
        f" COUNT(*) FILTER (WHERE was_cancelled) AS k FROM {Completion._meta.db_table} WHERE task_id = %s) c"
        f" WHERE {Task._meta.db_table}.id = %s"
    )
    return sql, [capacity, task_id, task_id]


def refresh_task_counters(task_id: int, overlap: int | None, project: Project) -> None:
    """Recount one task's completions and set its counters and ``is_labeled``, for a task whose
    row the caller has locked (so the count can't change before commit). Same result as
    tasks.services.task_counters_refresh([task_id]), in one small statement instead of two
    ORM-built UPDATEs — this runs on every submit."""
    rawsql.run(*counters_sql(task_id, overlap, project))


def completion_event(completion: Completion, event: str) -> None:
    """Announce a completion event inside the caller's transaction, right after the write; the
    subscribers (ML backends and webhooks, ml_backends/subscribers.py) run on commit."""
    events.emit(event, completion=completion)
