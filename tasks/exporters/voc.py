"""Pascal VOC XML (Image + RectangleLabels): ``Annotations/<image>.xml`` per image, with
``folder``, ``filename``, ``source``, ``owner``, ``size`` (width, height, depth), ``segmented`` and
one ``object`` (name, pose, truncated, difficult, bndbox) per box, as Label Studio writes it.

Deviations (docs/export.md), following the VOC devkit: every image gets a file, even without
boxes; ``bndbox`` uses VOC's 1-based pixel indices (a box touching the left edge has
``xmin`` 1 and one touching the right edge ``xmax`` = width) where Label Studio writes
truncated 0-based values; a rotated box is exported as the upright box around it, clipped.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from . import geometry as g
from .imaging import image_entries, unsupported_image
from .registry import Format, register


def _element(tag: str, value, indent: str) -> str:
    return f"{indent}<{tag}>{escape(str(value))}</{tag}>\n"


def voc_box(value: dict, width: int, height: int) -> tuple[int, int, int, int]:
    """1-based inclusive pixel box of a (possibly rotated) rectangle, inside the image."""
    x, y, w, h = g.envelope(g.rect_corners(value, width, height), width, height)
    xmin, ymin = int(round(x)) + 1, int(round(y)) + 1
    xmax, ymax = int(round(x + w)), int(round(y + h))
    xmin, ymin = min(max(xmin, 1), width), min(max(ymin, 1), height)
    return xmin, ymin, max(xmin, min(xmax, width)), max(ymin, min(ymax, height))


@register
class VOC(Format):
    name = "VOC"
    title = "Pascal VOC XML"
    description = "Popular XML format used for object detection and polygon image segmentation tasks."
    link = "https://labelstud.io/guide/export.html#Pascal-VOC-XML"
    tags = ("image segmentation", "object detection")
    requires = "an Image object with RectangleLabels"
    extension = ".zip"
    multi_file = True
    media_kind = "image"

    def unsupported(self, schema):
        return unsupported_image(schema, {"rectangle"}, "rectangles")

    def write(self, tasks, sink, ctx):
        for entry in image_entries(tasks, sink, ctx, need_depth=True):
            sink.add_bytes(f"Annotations/{entry.stem}.xml", self._xml(entry, ctx).encode("utf-8"))
            yield

    def _xml(self, entry, ctx) -> str:
        annotators = []
        objects = []
        for completion, regions in entry.completions:
            by = completion.get("completed_by")
            annotators.append(str(by.get("email") if isinstance(by, dict) else by))
            for region in regions:
                if region.kind != "rectangle" or not region.label:
                    continue
                if not entry.sized:
                    ctx.warn("box skipped: image size unknown", entry.task["id"])
                    continue
                objects.append((region.label, voc_box(region.value, entry.width, entry.height)))
        parts = ["<annotation>\n"]
        parts.append(_element("folder", "images", "  "))
        parts.append(_element("filename", entry.name, "  "))
        parts.append("  <source>\n")
        parts.append(_element("database", "Unknown", "    "))
        parts.append(_element("annotation", "Label Studio", "    "))
        parts.append(_element("image", entry.url or "", "    "))
        parts.append(_element("annotator", ",".join(dict.fromkeys(annotators)), "    "))
        parts.append("  </source>\n  <owner>\n")
        parts.append(_element("name", "Label Studio", "    "))
        parts.append("  </owner>\n  <size>\n")
        parts.append(_element("width", entry.width or "", "    "))
        parts.append(_element("height", entry.height or "", "    "))
        parts.append(_element("depth", entry.depth or 3, "    "))
        parts.append("  </size>\n")
        parts.append(_element("segmented", 0, "  "))
        for label, (xmin, ymin, xmax, ymax) in objects:
            parts.append("  <object>\n")
            parts.append(_element("name", label, "    "))
            parts.append(_element("pose", "Unspecified", "    "))
            parts.append(_element("truncated", 0, "    "))
            parts.append(_element("difficult", 0, "    "))
            parts.append("    <bndbox>\n")
            for tag, value in (("xmin", xmin), ("ymin", ymin), ("xmax", xmax), ("ymax", ymax)):
                parts.append(_element(tag, value, "      "))
            parts.append("    </bndbox>\n  </object>\n")
        parts.append("</annotation>\n")
        return '<?xml version="1.0" encoding="utf-8"?>\n' + "".join(parts)
