"""The labeling-config language: Label Studio's XML tags, parsed into typed tag objects.

Pure Python (no ORM). Typical use::

    config = parse(project.label_config)          # LabelConfigError on a bad config
    config.validate_task_data(task.data)          # -> list[str]
    config.validate_result(completion.result)     # -> list[ResultError]
    check_config_change(new_text, usage)          # refuses to orphan used controls/labels

Rules and shapes: docs/label-config.md.
"""

from typing import Any

from .compat import Usage, check_config_change, config_change_problems, usage_from_results
from .config import LabelConfig, parse, validate
from .data import is_url
from .errors import LabelConfigError, ResultError, ResultValidationError
from .gallery import get_template, list_templates
from .samples import sample_task


def validate_result(config: LabelConfig | str, result: Any, data: dict[str, Any] | None = None) -> list[ResultError]:
    """``parse(config).validate_result(result, data)`` for callers holding config text."""
    config = config if isinstance(config, LabelConfig) else parse(config)
    return config.validate_result(result, data)


def validate_task_data(config: LabelConfig | str, data: Any) -> list[str]:
    config = config if isinstance(config, LabelConfig) else parse(config)
    return config.validate_task_data(data)


__all__ = [
    "LabelConfig",
    "LabelConfigError",
    "ResultError",
    "ResultValidationError",
    "Usage",
    "check_config_change",
    "config_change_problems",
    "get_template",
    "is_url",
    "list_templates",
    "parse",
    "sample_task",
    "usage_from_results",
    "validate",
    "validate_result",
    "validate_task_data",
]
