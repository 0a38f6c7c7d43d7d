"""Regions on an image, from result JSON to pixels.

Label Studio stores shapes in percent of the image (``x, y, width, height``; ``points`` for
polygons) and a rectangle's ``rotation`` in degrees, clockwise about its top-left corner. Rotation
must be applied in pixels: in percent units a non-square image shears the box.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .schema import LABEL_KEYS

KINDS = {
    "rectanglelabels": "rectangle",
    "rectangle": "rectangle",
    "polygonlabels": "polygon",
    "polygon": "polygon",
    "keypointlabels": "keypoint",
    "keypoint": "keypoint",
    "brushlabels": "brush",
    "brush": "brush",
}


@dataclass
class Region:
    kind: str  # rectangle | polygon | keypoint | brush
    labels: list[str]
    value: dict
    id: str | None
    parent_id: str | None
    from_name: str
    width: int | None  # original_width stored with the result
    height: int | None

    @property
    def label(self) -> str | None:
        return self.labels[0] if self.labels else None


def region_kind(item: dict) -> str | None:
    rtype = str(item.get("type", "")).lower()
    if rtype in KINDS:
        return KINDS[rtype]
    value = item.get("value") or {}
    if rtype != "labels":
        return None
    if "rle" in value:
        return "brush"
    if "points" in value:
        return "polygon"
    if "width" in value and "height" in value:
        return "rectangle"
    if "x" in value and "y" in value:
        return "keypoint"
    return None


def regions(result: list, object_name: str) -> list[Region]:
    """The shapes of one result list drawn on one image object (others, relations, choices: skipped)."""
    out = []
    for item in result or []:
        if not isinstance(item, dict) or item.get("to_name") != object_name:
            continue
        kind = region_kind(item)
        value = item.get("value")
        if kind is None or not isinstance(value, dict):
            continue
        labels = next((value[k] for k in LABEL_KEYS if isinstance(value.get(k), list) and value[k]), [])
        out.append(
            Region(
                kind=kind,
                labels=[str(label) for label in labels],
                value=value,
                id=item.get("id"),
                parent_id=item.get("parentID") or value.get("parentID"),
                from_name=str(item.get("from_name", "")),
                width=_positive(item.get("original_width")),
                height=_positive(item.get("original_height")),
            )
        )
    return out


def stored_size(task: dict, object_name: str) -> tuple[int, int] | None:
    """The image size saved with any of the task's results (completions first, then predictions)."""
    for source in ("annotations", "predictions"):
        for entry in task.get(source) or []:
            for item in entry.get("result") or []:
                if isinstance(item, dict) and item.get("to_name") == object_name:
                    w, h = _positive(item.get("original_width")), _positive(item.get("original_height"))
                    if w and h:
                        return w, h
    return None


def _positive(value) -> int | None:
    try:
        number = int(round(float(value)))
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _num(value, default=0.0) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if math.isfinite(number) else default


def rect_corners(value: dict, width: int, height: int) -> list[tuple[float, float]]:
    """Pixel corners of a (possibly rotated) rectangle: top-left, top-right, bottom-right, bottom-left
    in the box's own frame, rotated clockwise about the top-left corner."""
    x, y = _num(value.get("x")) * width / 100, _num(value.get("y")) * height / 100
    w, h = _num(value.get("width")) * width / 100, _num(value.get("height")) * height / 100
    angle = math.radians(_num(value.get("rotation")))
    cos, sin = math.cos(angle), math.sin(angle)
    return [
        (x, y),
        (x + w * cos, y + w * sin),
        (x + w * cos - h * sin, y + w * sin + h * cos),
        (x - h * sin, y + h * cos),
    ]


def rect_area(value: dict, width: int, height: int) -> float:
    """The box's own area in pixels (rotation does not change it)."""
    return (_num(value.get("width")) * width / 100) * (_num(value.get("height")) * height / 100)


def is_rotated(value: dict) -> bool:
    return abs(_num(value.get("rotation")) % 360) > 1e-9


def polygon_points(value: dict, width: int, height: int) -> list[tuple[float, float]]:
    points = []
    for point in value.get("points") or []:
        if isinstance(point, list | tuple) and len(point) >= 2:
            points.append((_num(point[0]) * width / 100, _num(point[1]) * height / 100))
    return points


def keypoint(value: dict, width: int, height: int) -> tuple[float, float]:
    return _num(value.get("x")) * width / 100, _num(value.get("y")) * height / 100


def envelope(points, width: int | None = None, height: int | None = None) -> tuple[float, float, float, float]:
    """Axis-aligned ``x, y, w, h`` around the points, clipped to the image when its size is given."""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
    if width:
        x0, x1 = clamp(x0, 0, width), clamp(x1, 0, width)
    if height:
        y0, y1 = clamp(y0, 0, height), clamp(y1, 0, height)
    return x0, y0, x1 - x0, y1 - y0


def area(points) -> float:
    """Shoelace area of a polygon."""
    total = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        total += x0 * y1 - x1 * y0
    return abs(total) / 2


def clamp(value: float, low: float, high: float) -> float:
    return low if value < low else high if value > high else value


def num(value: float, digits: int = 6) -> float | int:
    """Round away float noise (``99.99999999``) so files are stable and readable."""
    rounded = round(value, digits)
    return int(rounded) if rounded == int(rounded) else rounded
