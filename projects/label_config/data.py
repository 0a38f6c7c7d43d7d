"""Task data against a config: every ``$key`` present, URLs where media is expected, right types."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .tags import ObjectTag
from .tags.chat import check_messages
from .values import show

if TYPE_CHECKING:  # config.py imports this module
    from .config import LabelConfig

URL_RE = re.compile(r"^(?:(?:https?|s3|gs|azure-blob)://\S+|/(?!/)\S*|data:[\w.+-]+/[\w.+-]+[^,]*,.*)$", re.DOTALL)


def is_url(value: object) -> bool:
    """http(s)://, s3://, gs://, azure-blob://, a root-relative path (/data/...), or a data: URI."""
    return isinstance(value, str) and bool(URL_RE.match(value.strip()))


def _where(config: LabelConfig, key: str) -> str:
    for tag in config.tags:
        if key in tag.data_keys():
            name = tag.name
            return f'<{tag.node.tag} name="{name}">' if name else f"<{tag.node.tag}>"
    return "the config"


def validate_task_data(config: LabelConfig, data: object) -> list[str]:
    if not isinstance(data, dict):
        return [f"task data must be a JSON object, got {show(data)}"]
    problems = []
    for key in config.data_keys:
        if key not in data:
            problems.append(f"data key {key!r} is missing (used by {_where(config, key)})")
    url_keys = set(config.url_keys)
    for key in sorted(url_keys):
        if key in data and not is_url(data[key]):
            problems.append(
                f"data key {key!r} must be a URL (http(s)://, s3://, gs://, /data/... or data:), got {show(data[key])}"
            )
    for obj in config.objects.values():
        problems.extend(_check_object(obj, data, url_keys))
    for tag in config.tags:  # <Repeater on="$key">: a list to repeat over
        on_key = tag.data_keys()[0] if tag.tag_name == "Repeater" and tag.data_keys() else None
        if on_key in data and not isinstance(data[on_key], list):
            problems.append(f"data key {on_key!r} must be a list (<Repeater on>), got {show(data[on_key])}")
    return problems


def _check_object(obj: ObjectTag, data: dict[str, Any], url_keys: set[str]) -> list[str]:
    problems = []
    for list_key in obj.list_keys():
        got = data.get(list_key)
        if list_key in data and not (isinstance(got, list) and got and all(is_url(u) for u in got)):
            problems.append(f"data key {list_key!r} must be a non-empty list of URLs, got {show(got)}")
    key = obj.value_key
    if key is None or key not in data or key in url_keys:
        return problems
    got = data[key]
    if obj.data_kind in ("text", "html") and not isinstance(got, str | int | float):
        problems.append(f'data key {key!r} must be text for <{obj.node.tag} name="{obj.name}">, got {show(got)}')
    elif obj.data_kind == "paragraphs" and not (isinstance(got, list) and all(isinstance(p, dict) for p in got)):
        problems.append(f"data key {key!r} must be a list of objects (paragraphs), got {show(got)}")
    elif obj.data_kind == "list" and not (
        isinstance(got, list) and all(isinstance(p, dict) and "id" in p for p in got)
    ):
        problems.append(f"data key {key!r} must be a list of objects with an id, got {show(got)}")
    elif obj.data_kind == "series" and not (
        isinstance(got, dict) and got and all(isinstance(col, list) for col in got.values())
    ):
        problems.append(f"data key {key!r} must be an object of columns (lists of values), got {show(got)}")
    elif obj.data_kind == "chat" and check_messages(got):
        problems.append(f"data key {key!r}: {check_messages(got)}")
    elif obj.data_kind == "table" and not isinstance(got, dict | list):
        problems.append(f"data key {key!r} must be an object (table rows), got {show(got)}")
    return problems
