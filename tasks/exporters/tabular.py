"""CSV and TSV: one row per completion (``flat.answered``), a column per data key and per control
(plus ``id``, ``annotator``, ``annotation_id``, ``created_at``, ``updated_at``, ``lead_time``),
sorted by name, as Label Studio's converter writes them: all text quoted, numbers not, CRLF line
ends; lists and dicts as compact JSON (``/`` escaped, as its ujson writes them); a data key named
like a control is the column ``_data_<key>``. Columns are known before the first row (config + one
query for the data keys tasks actually have), so rows stream.
"""

from __future__ import annotations

import csv
import json

from .flat import META_KEYS, annotator, answered, control_values
from .registry import Format, register
from .rows import data_keys_in

DATA_PREFIX = "_data_"


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("/", "\\/")


def _cell(value):
    if isinstance(value, dict | list):
        return _json(value)
    return "" if value is None else value


def row(task: dict, completion: dict | None, schema, colliding: set[str]) -> dict:
    """One CSV record: answers, data keys (renamed when they collide), who and when."""
    record = {"id": task["id"]}
    if completion is not None:
        for name, value in control_values(completion.get("result"), schema).items():
            record[name] = value if isinstance(value, str) else _json(value)
    data = task.get("data")
    for key, value in data.items() if isinstance(data, dict) else ():
        record[DATA_PREFIX + key if key in colliding else key] = value
    record["annotator"] = annotator(completion, as_text=True)
    completion = completion or {}
    for key in META_KEYS[1:]:
        record[key] = completion.get(key if key != "annotation_id" else "id")
    return record


class _Table(Format):
    delimiter = ","
    link = "https://labelstud.io/guide/export.html#CSV"

    def columns(self, ctx) -> tuple[list[str], set[str]]:
        data = set(ctx.schema.data_keys) | set(data_keys_in(ctx.project_id))
        controls = {c.name for c in ctx.schema.controls}
        colliding = data & controls
        keys = {DATA_PREFIX + k if k in colliding else k for k in data}
        keys |= {"id", *META_KEYS, *controls}
        return sorted(keys), colliding

    def write(self, tasks, sink, ctx):
        columns, colliding = self.columns(ctx)
        with sink.text(f"result{self.extension}") as out:
            writer = csv.writer(out, delimiter=self.delimiter, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
            writer.writerow(columns)
            for task in tasks:
                for completion in answered(task):
                    record = row(task, completion, ctx.schema, colliding)
                    writer.writerow([_cell(record.get(column)) for column in columns])
                yield


@register
class CSV(_Table):
    name = "CSV"
    title = "CSV"
    description = "One row per completion, comma-separated: a column per data key and per control."
    extension = ".csv"


@register
class TSV(_Table):
    name = "TSV"
    title = "TSV"
    description = "One row per completion, tab-separated: a column per data key and per control."
    link = "https://labelstud.io/guide/export.html#TSV"
    extension = ".tsv"
    delimiter = "\t"
