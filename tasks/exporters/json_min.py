"""JSON-MIN: a list of flat records, one per completion: the task's data keys, ``id``, one key per
control (its answer), ``annotator``, ``annotation_id``, ``created_at``, ``updated_at``, ``lead_time``.
"""

from __future__ import annotations

from labelstudio.core.jsonsafe import finite_json_encoder

from .flat import records
from .registry import Format, register

_encode = finite_json_encoder(ensure_ascii=False)


@register
class JSONMin(Format):
    name = "JSON_MIN"
    title = "JSON-MIN"
    description = (
        'List of items where only "from_name", "to_name" values from the raw JSON format are exported: '
        "one flat record per completion. Use it to export only the answers."
    )
    link = "https://labelstud.io/guide/export.html#JSON-MIN"

    def write(self, tasks, sink, ctx):
        with sink.text("result.json") as out:
            out.write("[")
            first = True
            for task in tasks:
                for record in records(task, ctx.schema):
                    out.write("\n" if first else ",\n")
                    out.write(_encode(record))
                    first = False
                yield
            out.write("\n]\n" if not first else "]\n")
