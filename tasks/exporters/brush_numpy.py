"""BRUSH_TO_NUMPY: one ``.npy`` per brush region, as Label Studio's converter writes them.

Name ``task-<task>-annotation-<completion>-by-<annotator>-<from_name>-<labels>-<n>.npy`` (labels
joined by ``-``, ``no_label`` without; ``n`` counts regions of the same name in the completion;
the annotator is the ``completed_by`` of the JSON export, the email's or id's letters, digits, ``@``
and ``.`` only), holding the mask's alpha channel as a height x width uint8 array. Only results of
a ``BrushLabels`` (or ``Labels``) control with an ``rle`` and a stored size count, as there.
"""

from __future__ import annotations

import io

from .brush_rle import decode
from .imaging import image_entries, unsupported_image
from .registry import Format, register

CONTROL_TAGS = ("BrushLabels", "Labels")


def annotator(completed_by) -> str:
    text = completed_by.get("email", "") if isinstance(completed_by, dict) else str(completed_by)
    return "".join(ch for ch in text if ch.isalnum() or ch in "@.")


@register
class BrushNumpy(Format):
    name = "BRUSH_TO_NUMPY"
    title = "Brush labels to NumPy"
    description = "Export your brush labels as NumPy 2d arrays. Each label outputs as one image."
    link = "https://labelstud.io/guide/export.html#Brush-labels-to-NumPy-amp-PNG"
    tags = ("image segmentation",)
    requires = "an Image object with BrushLabels"
    extension = ".zip"
    multi_file = True
    media_kind = "image"

    def unsupported(self, schema):
        return unsupported_image(schema, {"brush"}, "brushes")

    def write(self, tasks, sink, ctx):
        import numpy as np

        tags = {c.name: c.tag for c in ctx.schema.controls}
        for entry in image_entries(tasks, sink, ctx, every_size=False):
            for completion, regions in entry.completions:
                counters: dict[str, int] = {}
                by = annotator(completion.get("completed_by", {}))
                for region in regions:
                    if tags.get(region.from_name) not in CONTROL_TAGS or "rle" not in region.value:
                        continue
                    if not (region.width and region.height):
                        ctx.warn(f"brush region {region.id} has no original_width/height", entry.task["id"])
                        continue
                    key = tags[region.from_name].lower()
                    labels = region.value[key] if key in region.value else ["no_label"]
                    name = f"{region.from_name}-{'-'.join(map(str, labels))}"
                    n = counters.get(name, 0)
                    counters[name] = n + 1
                    try:
                        mask = decode(region.value["rle"], expected=region.width * region.height * 4).reshape(
                            region.height, region.width, 4
                        )[:, :, 3]
                    except (ValueError, TypeError) as err:
                        ctx.warn(f"brush region {region.id} could not be decoded: {err}", entry.task["id"])
                        continue
                    buffer = io.BytesIO()
                    np.save(buffer, np.ascontiguousarray(mask))
                    stem = f"task-{entry.task['id']}-annotation-{completion.get('id')}-by-{by}-{name}-{n}"
                    sink.add_bytes(stem.replace("/", "-").replace("\\", "-") + ".npy", buffer.getvalue())
                    ctx.count("masks")
            yield
