"""BRUSH_TO_COCO: brush masks (and polygons, boxes) as COCO, as Label Studio's converter writes it
(``label_studio_sdk.converter.exports.brush_to_coco``): a zip with ``result_coco.json``.

One image per exported completion (``id`` counts the converter's records: a task without
completions takes an id and lists no image), its ``file_name`` the base name of the first task
value that ends in an image extension, its size from the completion's first sized result; one
category per label in order of appearance; each brush mask gives one annotation per outer contour
(``contours.find_external_contours``: OpenCV's ``RETR_EXTERNAL``/``CHAIN_APPROX_SIMPLE``; contours
of under 3 points dropped) with integer ``bbox`` and truncated ``area``; a polygon gives one
annotation with its points rounded to pixels; a box its pixel ``[x, y, w, h]``. Category colours
are the labels' ``background`` (the converter draws random ones); ``annotator`` is the email of
an expanded ``completed_by``, else the id as text.
"""

from __future__ import annotations

import json
import os
import random
from datetime import datetime

from .brush_rle import decode
from .contours import bounding_rect, find_external_contours, polygon_area
from .flat import answered
from .imaging import unsupported_image
from .registry import Format, register

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".bmp")
LABEL_KEYS = ("brushlabels", "polygonlabels", "rectanglelabels", "labels")


def outputs(completion: dict, controls: dict) -> list[dict]:
    """The converter's view of a completion: each control result's value with its control type and
    the image size, grouped by control in order of first appearance (its dict of lists)."""
    grouped: dict[str, list[dict]] = {}
    for r in completion.get("result") or []:
        if not isinstance(r, dict) or r.get("from_name") not in controls or not isinstance(r.get("value"), dict):
            continue
        v = dict(r["value"], type=controls[r["from_name"]])
        for key in ("original_width", "original_height"):
            if key in r:
                v[key] = r[key]
        grouped.setdefault(r["from_name"], []).append(v)
    return [v for values in grouped.values() for v in values]


def image_path(data: dict) -> str | None:
    for value in (data or {}).values():
        if isinstance(value, str) and value.lower().endswith(IMAGE_EXTENSIONS):
            return value
    return None


def brush_shapes(value: dict) -> list[tuple[list[int], list[int], int]]:
    width, height = int(value["original_width"]), int(value["original_height"])
    alpha = decode(value["rle"], expected=width * height * 4).reshape(height, width, 4)[:, :, 3]
    shapes = []
    for contour in find_external_contours(alpha):
        if len(contour) >= 3:
            flat = [c for point in contour for c in point]
            shapes.append((flat, bounding_rect(contour), int(polygon_area(contour))))
    return shapes


@register
class BrushCOCO(Format):
    name = "BRUSH_TO_COCO"
    title = "Brush labels to COCO"
    description = (
        "Export your brush labels as COCO format for segmentation tasks. Converts RLE encoded masks to COCO polygons."
    )
    link = "https://labelstud.io/guide/export.html#COCO"
    tags = ("image segmentation", "brush annotations")
    requires = "an Image object with BrushLabels"
    extension = ".zip"
    multi_file = True

    def unsupported(self, schema):
        return unsupported_image(schema, {"brush"}, "brushes")

    def write(self, tasks, sink, ctx):
        controls = {c.name: c.tag for c in ctx.schema.controls}
        coco = {"images": [], "annotations": [], "categories": [], "info": _info()}
        categories: dict[str, int] = {}
        image_id = -1
        for task in tasks:
            for completion in answered(task):
                image_id += 1
                path = image_path(task.get("data"))
                if completion is None or not path:
                    continue
                self._completion(task, completion, path, image_id, controls, categories, coco, ctx)
            yield
        sink.add_bytes("result_coco.json", json.dumps(coco, indent=2, ensure_ascii=False).encode("utf-8"))

    def _completion(self, task, completion, path, image_id, controls, categories, coco, ctx):
        by = completion.get("completed_by", {})
        annotator = by.get("email", "unknown") if isinstance(by, dict) else str(by)
        image = {"id": image_id, "file_name": os.path.basename(path), "path": path, "width": None, "height": None}
        valid = False
        for value in outputs(completion, controls):
            if image["width"] is None and "original_width" in value:
                image["width"], image["height"] = value["original_width"], value.get("original_height")
            key = next((k for k in LABEL_KEYS if k in value), None)
            if key is None:
                continue
            for label in value[key]:
                if label not in categories:
                    categories[label] = len(categories) + 1
                    color = ctx.schema.label_attr(label, "background") or _random_color()
                    coco["categories"].append(
                        {"id": categories[label], "name": label, "supercategory": "", "color": color, "metadata": {}}
                    )
                made = self._annotations(value, key, task, ctx)
                for segmentation, bbox, area in made:
                    coco["annotations"].append({
                        "id": len(coco["annotations"]), "image_id": image_id, "category_id": categories[label],
                        "segmentation": segmentation, "area": area, "bbox": bbox, "iscrowd": 0, "annotator": annotator,
                    })  # fmt: skip
                    valid = True
        if image["width"] is not None and image["height"] is not None and valid:
            coco["images"].append(image)

    def _annotations(self, value, key, task, ctx):
        sized = "original_width" in value and "original_height" in value
        if "rle" in value and key == "brushlabels":
            if not sized:
                return []
            try:
                return [([flat], bbox, area) for flat, bbox, area in brush_shapes(value)]
            except (ValueError, TypeError) as err:
                ctx.warn(f"brush mask could not be read: {err}", task["id"])
                return []
        if "points" in value and key == "polygonlabels":
            if not sized:
                return []
            w, h = value["original_width"], value["original_height"]
            points = [(round(x * w / 100), round(y * h / 100)) for x, y in value["points"]]
            return [([[c for p in points for c in p]], bounding_rect(points), int(polygon_area(points)))]
        if value["type"].lower() == "rectanglelabels" or key == "labels":
            if not (sized and all(k in value for k in ("x", "y", "width", "height"))):
                return []
            w, h = value["original_width"], value["original_height"]
            x, y = value["x"] * w / 100, value["y"] * h / 100
            bw, bh = value["width"] * w / 100, value["height"] * h / 100
            return [([], [x, y, bw, bh], bw * bh)]
        return []


def _info() -> dict:
    now = datetime.now()
    return {
        "year": now.year,
        "version": "1.0",
        "description": "Converted from Label Studio",
        "contributor": "Label Studio Converter",
        "date_created": str(now),
    }


def _random_color() -> str:
    return "#{:02x}{:02x}{:02x}".format(*(random.randint(0, 255) for _ in range(3)))  # noqa: S311
