"""JSON (Label Studio's full task format: a list of tasks) and JSON Lines (one task per line).

A task carries ``data``, ``annotations`` (result, completed_by, ground_truth, was_cancelled,
lead_time, ...) and ``predictions``; this is also what imports read, so an export round-trips.
"""

from __future__ import annotations

from labelstudio.core.jsonsafe import finite_json_encoder

from .registry import Format, register
from .rows import RawJSON

_encode = finite_json_encoder(ensure_ascii=False, separators=(", ", ": "))
# PostgreSQL's jsonb cannot hold U+0000, so these placeholders never occur in stored JSON.
_HOLES = {"data": "\x00data\x00", "meta": "\x00meta\x00"}
_ENCODED_HOLES = {key: _encode(hole) for key, hole in _HOLES.items()}


def encode_task(task: dict) -> str:
    """One task as JSON; ``RawJSON`` values (database text) are spliced in without re-encoding."""
    raws = [key for key in _HOLES if isinstance(task.get(key), RawJSON)]
    if not raws:
        return _encode(task)
    text = _encode({k: (_HOLES[k] if k in raws else v) for k, v in task.items()})
    for key in raws:
        text = text.replace(_ENCODED_HOLES[key], task[key], 1)
    return text


class _TaskJSON(Format):
    raw_json = True


@register
class JSON(_TaskJSON):
    name = "JSON"
    title = "JSON"
    description = (
        "List of tasks in Label Studio's JSON format: data, annotations and predictions. "
        "Use it to move a project between servers or to keep everything."
    )
    link = "https://labelstud.io/guide/export.html#JSON"
    extension = ".json"

    def write(self, tasks, sink, ctx):
        with sink.text(f"result{self.extension}") as out:
            out.write("[")
            first = True
            for task in tasks:
                out.write("\n" if first else ",\n")
                out.write(encode_task(task))
                first = False
                yield
            out.write("\n]\n" if not first else "]\n")


@register
class JSONL(_TaskJSON):
    name = "JSONL"
    title = "JSON Lines"
    description = "Label Studio's JSON task format with one task per line, for tools that read line by line."
    link = "https://jsonlines.org/"
    extension = ".jsonl"

    def write(self, tasks, sink, ctx):
        with sink.text(f"result{self.extension}") as out:
            for task in tasks:
                out.write(encode_task(task))
                out.write("\n")
                yield
