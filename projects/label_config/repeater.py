"""Names made by ``<Repeater>``: a result's ``labels_3`` is the config's ``labels_{{idx}}``."""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # config.py imports results.py, which imports this module
    from .config import LabelConfig


@cache
def _pattern(template: str, flags: tuple[str, ...]) -> re.Pattern[str] | None:
    parts = re.split("(" + "|".join(re.escape(f) for f in flags) + ")", template)
    if len(parts) == 1:
        return None
    return re.compile("".join(r"\d+" if p in flags else re.escape(p) for p in parts))


def template_name(config: LabelConfig, name: str, names: Collection[str]) -> str:
    """``name`` itself when the config has it, else the repeated template it instantiates."""
    if name in names or not config.repeat_flags:
        return name
    for template in names:
        pattern = _pattern(template, config.repeat_flags)
        if pattern is not None and pattern.fullmatch(name):
            return template
    return name
