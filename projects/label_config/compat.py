"""Config changes against existing completions: refuse to orphan results that are in use.

``usage`` is built by the caller (``usage_from_results`` streams result lists):
``{"controls": {(from_name, to_name, type): completions}, "labels": {from_name: {label: results}}}``.
Control keys may also be Label Studio's ``"from_name|to_name|type"`` strings.
Relation items (no ``from_name``) are not tracked.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TypedDict

from .config import LabelConfig, parse
from .errors import LabelConfigError
from .results import _targets
from .values import Json

#: A control key: ``(from_name, to_name, type)`` or Label Studio's ``"from_name|to_name|type"``.
ControlKey = tuple[str, str, str] | str


class Usage(TypedDict, total=False):
    """What existing results use: completions per control, results per label of each control."""

    controls: dict[ControlKey, int]
    labels: dict[str, dict[str, int]]
    saved: dict[str, list[str]]  # labels saved for the project per control (user-added items)


def _labels_in(value: Json) -> list[str]:
    out: list[str] = []
    for key, got in value.items():
        if key == "taxonomy" and isinstance(got, list):
            out.extend(step for path in got if isinstance(path, list) for step in path if isinstance(step, str))
        elif (key == "choices" or key.endswith("labels")) and isinstance(got, list):
            out.extend(label for label in got if isinstance(label, str))
    return out


def usage_from_results(result_lists: Iterable[object]) -> Usage:
    """Count, over result lists (one per completion), which controls and labels are used."""
    controls: Counter[ControlKey] = Counter()
    labels: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for result in result_lists:
        if not isinstance(result, list):
            continue
        seen: set[ControlKey] = set()
        for item in result:
            if not isinstance(item, dict) or item.get("type") == "relation":
                continue
            from_name, to_name, rtype = item.get("from_name"), item.get("to_name"), item.get("type")
            if not (isinstance(from_name, str) and isinstance(to_name, str) and isinstance(rtype, str)):
                continue
            seen.add((from_name, to_name, rtype))
            if isinstance(item.get("value"), dict):
                labels[from_name].update(set(_labels_in(item["value"])))
        controls.update(seen)
    return {"controls": dict(controls), "labels": {name: dict(counts) for name, counts in labels.items()}}


def _key(key: ControlKey) -> tuple[str, str, str]:
    if isinstance(key, str):
        parts = key.split("|")
        if len(parts) == 3:
            return parts[0], parts[1], parts[2]
        raise ValueError(f"usage control key {key!r} is not 'from_name|to_name|type'")
    from_name, to_name, rtype = key
    return from_name, to_name, rtype


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def config_change_problems(new_config: LabelConfig | str, usage: Usage | None) -> list[str]:
    """Why the new config would orphan existing results (empty list: the change is safe)."""
    config = new_config if isinstance(new_config, LabelConfig) else parse(new_config)
    usage = usage or {}
    removed: dict[str, int] = {}
    problems: list[str] = []
    for key, count in (usage.get("controls") or {}).items():
        if not count:
            continue
        from_name, to_name, rtype = _key(key)
        control = config.controls.get(from_name)
        if control is None:
            removed[from_name] = max(count, removed.get(from_name, 0))
        elif _targets(control, to_name) is None:
            problems.append(
                f"control {from_name!r} no longer points to {to_name!r}, used by {_plural(count, 'completion')}"
            )
        elif rtype not in control.result_types:
            problems.append(
                f"control {from_name!r} is now <{control.tag_name}> and cannot hold its {rtype!r} results, "
                f"used by {_plural(count, 'completion')}"
            )
    problems[:0] = [f"control {name!r} is used by {_plural(count, 'completion')}" for name, count in removed.items()]
    for from_name, counts in (usage.get("labels") or {}).items():
        control = config.controls.get(from_name)
        if control is None or control.dynamic_labels:
            continue
        known = set(control.labels) | set(usage.get("saved", {}).get(from_name, ()))  # saved user items
        for label, count in counts.items():
            if count and label not in known:
                problems.append(f"label {label!r} of {from_name!r} is used in {_plural(count, 'result')}")
    return problems


def check_config_change(new_config: LabelConfig | str, usage: Usage | None) -> LabelConfig:
    """Return the parsed new config, or raise ``LabelConfigError`` naming what is still in use."""
    config = new_config if isinstance(new_config, LabelConfig) else parse(new_config)
    problems = config_change_problems(config, usage)
    if problems:
        errors = [LabelConfigError(f"cannot change the config: {p}") for p in problems]
        raise LabelConfigError("cannot change the config: " + "; ".join(problems), errors=errors)
    return config
