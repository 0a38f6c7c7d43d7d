"""CSV and TSV: one row per completion, a column per data key and per control (plus ``id``,
``annotator``, ``annotation_id``, ``created_at``, ``updated_at``, ``lead_time``), sorted by name
as Label Studio's converter does. Columns are known before the first row (config + one query for
the data keys tasks actually have), so rows stream.
"""

from __future__ import annotations

import csv
import json

from .flat import META_KEYS, records
from .registry import Format, register
from .rows import data_keys_in


def _cell(value):
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


class _Table(Format):
    delimiter = ","
    link = "https://labelstud.io/guide/export.html#CSV"

    def columns(self, ctx) -> list[str]:
        keys = set(ctx.schema.data_keys) | set(data_keys_in(ctx.project_id))
        keys |= {"id", *META_KEYS, *(c.name for c in ctx.schema.controls)}
        return sorted(keys)

    def write(self, tasks, sink, ctx):
        columns = self.columns(ctx)
        with sink.text(f"result{self.extension}") as out:
            writer = csv.writer(out, delimiter=self.delimiter, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
            writer.writerow(columns)
            for task in tasks:
                for record in records(task, ctx.schema):
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
