"""A prediction from a plain column (``preannotated_from_fields``).

The value may be a result list (or its JSON text), a whole prediction object, or, for a column
named after a control, a plain label: ``sentiment=Positive`` becomes a ``choices`` result for the
``<Choices name="sentiment">`` control. An empty cell means "no prediction".
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from projects.label_config import LabelConfig


def _number(text: str) -> int | float:
    number = float(text)
    return int(number) if number.is_integer() else number


#: result type -> the ``value`` of a result holding one plain label or number
BUILDERS: dict[str, Callable[[str], dict[str, Any]]] = {
    "choices": lambda v: {"choices": [v]},
    "taxonomy": lambda v: {"taxonomy": [[part.strip() for part in v.split("/")]]},
    "textarea": lambda v: {"text": [v]},
    "rating": lambda v: {"rating": int(_number(v))},
    "number": lambda v: {"number": _number(v)},
    "datetime": lambda v: {"datetime": v},
}


def field_prediction(config: LabelConfig, name: str, value: object) -> list[Any] | dict[str, Any] | str:
    """Result items (list), a whole prediction (dict), or an error message (str)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return []
    if isinstance(value, str) and value.lstrip()[:1] in ("[", "{"):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            return f"'{name}' looks like JSON but cannot be parsed: {exc.msg} (column {exc.colno})"
    if isinstance(value, dict):
        return value if "result" in value else [value]
    if isinstance(value, list):
        return value
    control = config.controls.get(name)
    if control is None:
        return (
            f"'{name}' holds a plain value, so it must name a control of the config to build a prediction; "
            f"controls: {', '.join(config.controls) or 'none'}"
        )
    builder = BUILDERS.get(control.result_type)
    if builder is None:
        return f"a <{control.tag_name}> prediction needs a result list (regions), not a plain value"
    try:
        result_value = builder(str(value).strip())
    except ValueError:
        return f"'{value}' is not a number, which <{control.tag_name} name=\"{name}\"> needs"
    to_name = control.to_names[0] if control.to_names else ""
    return [{"from_name": name, "to_name": to_name, "type": control.result_type, "value": result_value}]
