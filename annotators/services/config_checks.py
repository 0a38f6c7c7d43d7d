"""A completion's result checked against its project's labeling config (parsed once per config
text)."""

from __future__ import annotations

from functools import lru_cache

from labelstudio.core.exceptions import ApplicationError
from projects import label_config as lc
from projects.models import Project
from projects.services import result_size_check
from tasks.models import Task


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
