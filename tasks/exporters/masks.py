"""Masks (Image + BrushLabels or PolygonLabels): an archive of 8-bit PNGs, one per completion and
label, named ``masks/task-<task>-annotation-<completion>-by-<annotator>-<label>.png``.
Pixels are 0 outside and the brush's alpha (255 for polygons) inside; regions with the same
label are merged, brush and polygon alike. Label Studio's BRUSH_TO_PNG writes one PNG per brush region instead, and has
no polygon masks.

Brush results hold Label Studio's RLE (the thi.ng/rle-pack bit stream over the RGBA canvas),
read by ``brush_rle.decode``.
"""

from __future__ import annotations

import io
import re

from . import geometry as g
from .brush_rle import decode
from .imaging import image_entries, unsupported_image
from .registry import Format, register

SAFE = re.compile(r"[^\w.@\-]+")


def decode_rle(data) -> bytes:
    """Label Studio brush RLE -> the flat RGBA byte array it encodes."""
    return decode(data).tobytes()


def brush_mask(value: dict, width: int, height: int):
    from PIL import Image

    try:
        rgba = decode(value.get("rle") or [], expected=width * height * 4).tobytes()
    except (ValueError, TypeError):
        return None
    return Image.frombytes("L", (width, height), bytes(rgba[3::4]))


def polygon_mask(value: dict, width: int, height: int):
    from PIL import Image, ImageDraw

    points = g.polygon_points(value, width, height)
    if len(points) < 3:
        return None
    image = Image.new("L", (width, height), 0)
    ImageDraw.Draw(image).polygon(points, fill=255)
    return image


@register
class Masks(Format):
    name = "BRUSH_TO_PNG"
    title = "Masks as PNG"
    description = "Brush and polygon labels as PNG masks: one image per completion and label."
    link = "https://labelstud.io/guide/export.html#Brush-labels-to-NumPy-amp-PNG"
    tags = ("image segmentation",)
    requires = "an Image object with BrushLabels or PolygonLabels"
    extension = ".zip"
    multi_file = True
    media_kind = "image"

    def unsupported(self, schema):
        return unsupported_image(schema, {"brush", "polygon"}, "brushes or polygons")

    def write(self, tasks, sink, ctx):
        from PIL import ImageChops

        for entry in image_entries(tasks, sink, ctx, every_size=False):
            for completion, regions in entry.completions:
                layers: dict[str, object] = {}
                for region in regions:
                    if region.kind not in ("brush", "polygon") or not region.label:
                        continue
                    width, height = (region.width, region.height) if region.kind == "brush" else (0, 0)
                    width, height = width or entry.width, height or entry.height
                    if not (width and height):
                        ctx.warn("mask skipped: image size unknown", entry.task["id"])
                        continue
                    make = brush_mask if region.kind == "brush" else polygon_mask
                    mask = make(region.value, width, height)
                    if mask is None:
                        ctx.warn(f"{region.kind} region {region.id} could not be drawn", entry.task["id"])
                        continue
                    previous = layers.get(region.label)
                    layers[region.label] = (
                        mask if previous is None or previous.size != mask.size else ImageChops.lighter(previous, mask)
                    )
                by = completion.get("completed_by")
                by = by.get("email") if isinstance(by, dict) else by
                for label, mask in layers.items():
                    name = f"task-{entry.task['id']}-annotation-{completion.get('id')}-by-{by}-{label}"
                    buffer = io.BytesIO()
                    mask.save(buffer, format="PNG")
                    sink.add_bytes(f"masks/{SAFE.sub('_', name)}.png", buffer.getvalue(), compress=False)
                    ctx.count("masks")
            yield
