"""COCO object detection / segmentation / keypoints (Image + RectangleLabels, PolygonLabels,
KeyPointLabels).

``{"images": [...], "categories": [...], "annotations": [...], "info": {...}}`` as Label Studio's
converter writes it: one image per task (all exported completions' regions on it), image ids
from 0, category ids from 0 in Label Studio's order (sorted label names, ``category`` attributes
respected), ``bbox`` = ``[x, y, w, h]`` in pixels, polygons as ``segmentation`` in pixels with
shoelace ``area``. Keypoints go into the annotation of their parent rectangle (``parentID``) in
``model_index`` order as ``[x, y, v, ...]``; keypoints without a parent are gathered per
completion under the ``default`` category, as Label Studio does (plus the ``area`` COCOeval needs).

Deviations (docs/export.md): annotation ids start at 1 (COCOeval treats id 0 as "unmatched");
rotated boxes are enclosed in pixel space and keep their corners as ``segmentation``; boxes are
clipped to the image.

Streaming: images and annotations go to two temp files while tasks are read; the result is
assembled at the end, so memory does not grow with the project.
"""

from __future__ import annotations

import json
from datetime import datetime

from . import geometry as g
from .imaging import category_ids, image_entries, keypoint_order, unsupported_image
from .registry import Format, register
from .sinks import copy_text

KINDS = {"rectangle", "polygon", "keypoint"}


@register
class COCO(Format):
    name = "COCO"
    title = "COCO"
    description = (
        "Popular machine learning format used by the COCO dataset for object detection and image "
        "segmentation tasks with polygons and rectangles."
    )
    link = "https://labelstud.io/guide/export.html#COCO"
    tags = ("image segmentation", "object detection", "keypoints")
    requires = "an Image object with RectangleLabels, PolygonLabels or KeyPointLabels (keypoints with boxes)"
    extension = ".json"
    media_kind = "image"
    variants = {
        "COCO_WITH_IMAGES": (
            "COCO with Images",
            "COCO format with the images in the archive.",
            {"include_images": True},
        )
    }

    def unsupported(self, schema):
        reason = unsupported_image(schema, {"rectangle", "polygon"}, "rectangles or polygons")
        if reason and schema.image and "keypoint" in schema.region_kinds(schema.image.name):
            return "keypoints need RectangleLabels for their boxes"
        return reason

    def write(self, tasks, sink, ctx):
        schema = ctx.schema
        points = keypoint_order(schema)
        ids = category_ids(schema, {"rectangle", "polygon"})
        if points:  # Label Studio numbers the keypoint names too, then drops them: ids keep the gaps
            ids = category_ids(schema, {"rectangle", "polygon", "keypoint"})
            ids = {label: i for label, i in ids.items() if label not in points}
        categories = [{"id": i, "name": name} for name, i in sorted(ids.items(), key=lambda kv: kv[1])]
        if points:
            for category in categories:
                category.update(keypoints=points, skeleton=[])
            ids["default"] = max(ids.values(), default=-1) + 1
            categories.append(
                {
                    "id": ids["default"],
                    "name": "default",
                    "supercategory": "default",
                    "keypoints": points,
                    "skeleton": [],
                }
            )
        images_path, annotations_path = ctx.tmpdir / "images.part", ctx.tmpdir / "annotations.part"
        state = {"annotation_id": 0, "first": True}
        with open(images_path, "w", encoding="utf-8") as images, open(annotations_path, "w", encoding="utf-8") as anns:
            for image_id, entry in enumerate(image_entries(tasks, sink, ctx)):
                image = {
                    "width": entry.width,
                    "height": entry.height,
                    "id": image_id,
                    "file_name": f"images/{entry.name}",
                }
                images.write((",\n" if image_id else "\n") + json.dumps(image, ensure_ascii=False))
                for _completion, regions in entry.completions:
                    for ann in self._annotations(regions, entry, image_id, ids, categories, points, ctx):
                        state["annotation_id"] += 1
                        ann = {"id": state["annotation_id"], **ann}
                        anns.write(("\n" if state["first"] else ",\n") + json.dumps(ann, ensure_ascii=False))
                        state["first"] = False
                yield
        now = ctx.now or datetime.now()
        info = {
            "year": now.year,
            "version": "1.0",
            "description": "",
            "contributor": "Label Studio",
            "url": "",
            "date_created": str(now),
        }
        with sink.text("result.json") as out:
            out.write('{\n"images": [')
            copy_text(images_path, out)
            out.write('\n],\n"categories": ' + json.dumps(categories, ensure_ascii=False) + ',\n"annotations": [')
            copy_text(annotations_path, out)
            out.write('\n],\n"info": ' + json.dumps(info) + "\n}\n")
        yield

    def _annotations(self, regions, entry, image_id, ids, categories, points, ctx):
        if not regions:
            return
        if not entry.sized:
            ctx.warn(f"{len(regions)} region(s) skipped: image size unknown", entry.task["id"])
            return
        width, height = entry.width, entry.height
        children: dict = {}
        orphans = []
        for region in regions:
            if region.kind == "keypoint" and region.label:
                (children.setdefault(region.parent_id, []) if region.parent_id else orphans).append(region)
        for region in regions:
            if region.kind not in ("rectangle", "polygon"):
                continue
            if not region.label:
                ctx.count("unlabeled_regions")
                continue
            if region.label not in ids:
                ids[region.label] = max(ids.values(), default=-1) + 1
                categories.append({"id": ids[region.label], "name": region.label})
            shape = (
                self._box(region, width, height) if region.kind == "rectangle" else self._polygon(region, width, height)
            )
            if shape is None:
                ctx.count("degenerate_polygons")
                continue
            ann = {"image_id": image_id, "category_id": ids[region.label], **shape}
            if points and region.kind == "rectangle":
                ann.update(self._keypoints(children.get(region.id, []), points, width, height))
            yield ann
        if orphans and points:
            kp = self._keypoints(orphans, points, width, height)
            visible = [
                (kp["keypoints"][3 * i], kp["keypoints"][3 * i + 1])
                for i in range(len(points))
                if kp["keypoints"][3 * i + 2]
            ]
            x, y, w, h = g.envelope(visible) if visible else (0, 0, 0, 0)
            yield {
                "image_id": image_id,
                "category_id": ids["default"],
                **kp,
                "bbox": [g.num(x), g.num(y), g.num(w), g.num(h)],
                "iscrowd": 0,
                "area": g.num(w * h),
            }

    @staticmethod
    def _box(region, width: int, height: int) -> dict:
        """bbox around the (rotated) box, clipped; a rotated box keeps its corners and own area."""
        corners = g.rect_corners(region.value, width, height)
        x, y, w, h = g.envelope(corners, width, height)
        rotated = g.is_rotated(region.value)
        return {
            "segmentation": [[g.num(c) for point in corners for c in point]] if rotated else [],
            "bbox": [g.num(x), g.num(y), g.num(w), g.num(h)],
            "ignore": 0,
            "iscrowd": 0,
            "area": g.num(g.rect_area(region.value, width, height) if rotated else w * h),
        }

    @staticmethod
    def _polygon(region, width: int, height: int) -> dict | None:
        poly = g.polygon_points(region.value, width, height)
        if len(poly) < 3:
            return None
        x, y, w, h = g.envelope(poly, width, height)
        return {
            "segmentation": [[g.num(c) for point in poly for c in point]],
            "bbox": [g.num(x), g.num(y), g.num(w), g.num(h)],
            "ignore": 0,
            "iscrowd": 0,
            "area": g.num(g.area(poly)),
        }

    @staticmethod
    def _keypoints(regions, points, width, height) -> dict:
        values = [0] * (3 * len(points))
        for region in regions:
            for label in region.labels:
                if label in points:
                    i = points.index(label)
                    x, y = g.keypoint(region.value, width, height)
                    values[3 * i : 3 * i + 3] = [g.num(x), g.num(y), 2]
        return {"keypoints": values, "num_keypoints": sum(1 for i in range(len(points)) if values[3 * i + 2])}
