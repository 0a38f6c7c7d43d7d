"""YOLO and YOLO OBB (Image + RectangleLabels / PolygonLabels / KeyPointLabels with boxes).

An archive with ``classes.txt`` (line N names class N), ``notes.json`` (categories — with their
``keypoints`` names for pose configs — and info),
``labels/<image>.txt`` for every image (empty when it has no regions) and, with
``include_images``, ``images/``. Lines, all coordinates normalized to 0..1:

- box: ``class cx cy w h``; a rotated box as the upright box around it (pixel space);
- polygon: ``class x1 y1 x2 y2 ...`` (YOLO segmentation);
- box with keypoints (pose): ``class cx cy w h kx1 ky1 v1 ...`` in ``model_index`` order;
- OBB: ``class x1 y1 x2 y2 x3 y3 x4 y4``, the corners in the box's own order.

Class ids as Label Studio numbers them: sorted label names (or, with keypoints, the boxes' labels
in config order). Deviations (docs/export.md): one label file per image holding every exported
completion (Label Studio overwrites it per completion), coordinates clipped to 0..1 (Ultralytics
rejects a file with any value outside), rotated boxes not flattened to their unrotated size.
"""

from __future__ import annotations

import json
from datetime import datetime

from . import geometry as g
from .imaging import category_ids, image_entries, keypoint_order, unsupported_image
from .registry import Format, register


def _n(value: float) -> str:
    return repr(g.num(g.clamp(value, 0.0, 1.0)))


class _YOLO(Format):
    link = "https://labelstud.io/guide/export.html#YOLO"
    extension = ".zip"
    multi_file = True
    media_kind = "image"
    obb = False

    def classes(self, schema) -> dict[str, int]:
        obj = schema.image
        if not self.obb and keypoint_order(schema):
            labels = schema.region_labels(obj.name, {"rectangle"})
            return {label: i for i, label in enumerate(labels)}
        return category_ids(schema, {"rectangle", "polygon"})

    def write(self, tasks, sink, ctx):
        ids = self.classes(ctx.schema)
        points = [] if self.obb else keypoint_order(ctx.schema)
        for entry in image_entries(tasks, sink, ctx, every_size=False):
            lines = []
            for _completion, regions in entry.completions:
                lines.extend(self._lines(regions, entry, ids, points, ctx))
            sink.add_bytes(f"labels/{entry.stem}.txt", "".join(line + "\n" for line in lines).encode("utf-8"))
            yield
        size = max(ids.values(), default=-1) + 1
        names = {i: label for label, i in ids.items()}
        classes = [names.get(i, f"class_{i}") for i in range(size)]
        sink.add_bytes("classes.txt", "".join(name + "\n" for name in classes).encode("utf-8"))
        now = ctx.now or datetime.now()
        names_of_points = self.keypoint_names(ctx.schema) if points else None
        notes = {
            "categories": [
                {"id": i, "name": name, **({"keypoints": names_of_points} if points else {})}
                for i, name in enumerate(classes)
            ],
            "info": {"year": now.year, "version": "1.0", "contributor": "Label Studio"},
        }
        sink.add_bytes("notes.json", json.dumps(notes, indent=2, ensure_ascii=False).encode("utf-8"))
        yield

    @staticmethod
    def keypoint_names(schema) -> list[str]:
        """The keypoint labels in config order (``notes.json``, as Label Studio lists them)."""
        controls = schema.controls_on(schema.image.name, "KeyPointLabels")
        return list(dict.fromkeys(label for c in controls for label in c.labels))

    def _lines(self, regions, entry, ids, points, ctx):
        # Unrotated boxes and polygons need no pixel size; rotation does.
        width, height = (entry.width, entry.height) if entry.sized else (100, 100)
        children: dict = {}
        for region in regions:
            if region.kind == "keypoint" and region.parent_id:
                children.setdefault(region.parent_id, []).append(region)
        for region in regions:
            if region.kind not in ("rectangle", "polygon") or not region.labels:
                continue
            if self.obb and region.kind == "polygon" and len(region.value.get("points") or []) != 4:
                ctx.count("polygons_skipped")  # OBB lines are 4 corners; a 4-point polygon is one
                continue
            if region.kind == "rectangle" and g.is_rotated(region.value) and not entry.sized:
                ctx.warn("rotated box skipped: image size unknown", entry.task["id"])
                continue
            for label in region.labels:
                if label not in ids:
                    ids[label] = max(ids.values(), default=-1) + 1
                cls = ids[label]
                if region.kind == "polygon" and self.obb:
                    coords = g.polygon_points(region.value, width, height)
                    yield " ".join([str(cls)] + [_n(c / d) for x, y in coords for c, d in ((x, width), (y, height))])
                    continue
                if region.kind == "polygon":
                    coords = g.polygon_points(region.value, width, height)
                    yield " ".join([str(cls)] + [_n(c / d) for x, y in coords for c, d in ((x, width), (y, height))])
                    continue
                corners = g.rect_corners(region.value, width, height)
                if self.obb:
                    yield " ".join([str(cls)] + [_n(c / d) for x, y in corners for c, d in ((x, width), (y, height))])
                    continue
                x, y, w, h = g.envelope(corners, width, height)
                parts = [str(cls), _n((x + w / 2) / width), _n((y + h / 2) / height), _n(w / width), _n(h / height)]
                if points:
                    parts += self._keypoints(children.get(region.id, []), points, width, height)
                yield " ".join(parts)

    @staticmethod
    def _keypoints(regions, points, width, height) -> list[str]:
        values = [["0", "0", "0"] for _ in points]
        for region in regions:
            for label in region.labels:
                if label in points:
                    x, y = g.keypoint(region.value, width, height)
                    values[points.index(label)] = [_n(x / width), _n(y / height), "2"]
        return [v for triple in values for v in triple]


@register
class YOLO(_YOLO):
    name = "YOLO"
    title = "YOLO"
    description = (
        "Popular TXT format: one label file per image with the object class, its center, width and "
        "height (or polygon points, or keypoints), normalized to the image size."
    )
    tags = ("image segmentation", "object detection", "keypoints")
    requires = "an Image object with RectangleLabels or PolygonLabels (KeyPointLabels with boxes)"
    variants = {
        "YOLO_WITH_IMAGES": (
            "YOLO with Images",
            "YOLO format with the images in the archive.",
            {"include_images": True},
        )
    }

    def unsupported(self, schema):
        return unsupported_image(schema, {"rectangle", "polygon"}, "rectangles or polygons")


@register
class YOLOOBB(_YOLO):
    name = "YOLO_OBB"
    title = "YOLOv8 OBB"
    description = (
        "YOLO oriented bounding boxes: each box as its four corner points normalized to 0..1, so "
        "rotated objects keep their rotation."
    )
    tags = ("image segmentation", "object detection")
    requires = "an Image object with RectangleLabels or PolygonLabels (polygons are left out of the files)"
    obb = True
    variants = {
        "YOLO_OBB_WITH_IMAGES": (
            "YOLOv8 OBB with Images",
            "YOLO OBB format with the images in the archive.",
            {"include_images": True},
        )
    }

    def unsupported(self, schema):
        return unsupported_image(schema, {"rectangle", "polygon"}, "rectangles or polygons")
