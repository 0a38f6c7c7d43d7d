"""Shape checks for result ``value`` payloads, shared by the control tags.

Every function returns a list of ``(field, message)`` pairs; ``field`` is a dotted path below the
result item (``value.width``). Coordinates are percentages of the image: 0..100, with
``PERCENT_TOLERANCE`` of slack for rounding in model output.
"""

from __future__ import annotations

import json
import math
from typing import Any, TypeGuard

PERCENT_TOLERANCE = 0.1
Problems = list[tuple[str, str]]
#: A JSON object from a result or task data: untrusted until these checks have looked at it, so its
#: values are ``Any`` (each check narrows what it reads with ``isinstance``/``is_number``).
Json = dict[str, Any]


def show(value: object) -> str:
    """Short JSON-ish rendering of a bad value for messages."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=repr)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def expect_number(
    value: Json,
    key: str,
    lo: float | None = None,
    hi: float | None = None,
    *,
    required: bool = True,
    integer: bool = False,
    tol: float = 0.0,
) -> Problems:
    field = f"value.{key}"
    if key not in value:
        return [(field, "is required")] if required else []
    got = value[key]
    kind = "an integer" if integer else "a number"
    if lo is not None and hi is not None:
        expected = f"{kind} in {lo:g}..{hi:g}"
    elif lo is not None:
        expected = f"{kind} >= {lo:g}"
    elif hi is not None:
        expected = f"{kind} <= {hi:g}"
    else:
        expected = kind
    ok = is_int(got) if integer else is_number(got)
    if not ok or (lo is not None and got < lo - tol) or (hi is not None and got > hi + tol):
        return [(field, f"expected {expected}, got {show(got)}")]
    return []


def percent(value: Json, key: str, *, required: bool = True) -> Problems:
    return expect_number(value, key, 0, 100, required=required, tol=PERCENT_TOLERANCE)


def check_rectangle(value: Json) -> Problems:
    problems: Problems = []
    for key in ("x", "y", "width", "height"):
        problems += percent(value, key)
    problems += expect_number(value, "rotation", required=False)
    if problems:
        return problems
    if not value.get("rotation"):  # a rotated box may reach past the edge along its own axes
        for start, size in (("x", "width"), ("y", "height")):
            end = value[start] + value[size]
            if end > 100 + PERCENT_TOLERANCE:
                problems.append((f"value.{size}", f"{start} + {size} must be <= 100, got {end:g}"))
    return problems


def check_polygon(value: Json) -> Problems:
    points = value.get("points")
    if not isinstance(points, list):
        return [("value.points", f"expected a list of [x, y] points, got {show(points)}")]
    if len(points) < 3:
        return [("value.points", f"expected at least 3 points, got {len(points)}")]
    for i, point in enumerate(points):
        field = f"value.points[{i}]"
        if not (isinstance(point, list | tuple) and len(point) == 2 and all(is_number(c) for c in point)):
            return [(field, f"expected [x, y] numbers, got {show(point)}")]
        if not all(-PERCENT_TOLERANCE <= c <= 100 + PERCENT_TOLERANCE for c in point):
            return [(field, f"expected coordinates in 0..100, got {show(point)}")]
    if "closed" in value and not isinstance(value["closed"], bool):
        return [("value.closed", f"expected true or false, got {show(value['closed'])}")]
    return []


def check_keypoint(value: Json) -> Problems:
    return percent(value, "x") + percent(value, "y") + expect_number(value, "width", 0, required=False)


def check_ellipse(value: Json) -> Problems:
    problems = percent(value, "x") + percent(value, "y")
    problems += expect_number(value, "radiusX", 0, 100, tol=PERCENT_TOLERANCE)
    problems += expect_number(value, "radiusY", 0, 100, tol=PERCENT_TOLERANCE)
    return problems + expect_number(value, "rotation", required=False)


def check_brush(value: Json) -> Problems:
    fmt = value.get("format", "rle")
    if fmt != "rle":
        return [("value.format", f'expected "rle", got {show(fmt)}')]
    rle = value.get("rle")
    if not isinstance(rle, list) or not rle:
        return [("value.rle", f"expected a non-empty list of integers, got {show(rle)}")]
    for i, byte in enumerate(rle):
        if not is_int(byte) or not 0 <= byte <= 255:
            return [(f"value.rle[{i}]", f"expected an integer in 0..255, got {show(byte)}")]
    return []


def _int_like(v: object) -> int | None:
    if is_int(v):
        return v
    if isinstance(v, str) and v.isdecimal():
        return int(v)
    return None


def check_span(value: Json, span_kind: str | None, text: str | None = None) -> Problems:
    """A span on a text-like object, addressed as its object's ``span_kind`` says."""
    if span_kind == "offsets":
        problems = expect_number(value, "start", 0, integer=True) + expect_number(value, "end", 0, integer=True)
        if not problems and value["start"] > value["end"]:
            problems.append(("value.end", f"expected end >= start ({value['start']}), got {value['end']}"))
        if not problems and isinstance(text, str) and value["end"] > len(text):
            problems.append(("value.end", f"expected end <= text length {len(text)}, got {value['end']}"))
        return problems + _optional_text(value)
    if span_kind == "time":
        problems = expect_number(value, "start", 0) + expect_number(value, "end", 0)
        if not problems and value["start"] > value["end"]:
            problems.append(("value.end", f"expected end >= start ({value['start']:g}), got {value['end']:g}"))
        return problems + expect_number(value, "channel", 0, required=False, integer=True)
    if span_kind in ("xpath", "paragraph"):
        problems = []
        for key in ("start", "end"):
            got = value.get(key)
            if span_kind == "xpath" and not isinstance(got, str):
                problems.append((f"value.{key}", f"expected an XPath string, got {show(got)}"))
            elif span_kind == "paragraph" and _int_like(got) is None:
                problems.append(
                    (f"value.{key}", f"expected a paragraph index (integer or digit string), got {show(got)}")
                )
        problems += expect_number(value, "startOffset", 0, integer=True)
        problems += expect_number(value, "endOffset", 0, integer=True)
        if not problems and span_kind == "paragraph":
            start, end = _int_like(value["start"]), _int_like(value["end"])  # both ints: no problems
            if start is not None and end is not None and start > end:
                problems.append(("value.end", f"expected end >= start ({value['start']}), got {value['end']}"))
        offsets = value.get("globalOffsets")
        if offsets is not None and not (
            isinstance(offsets, dict) and is_int(offsets.get("start")) and is_int(offsets.get("end"))
        ):
            problems.append(("value.globalOffsets", f"expected {{start, end}} integers, got {show(offsets)}"))
        return problems + _optional_text(value)
    return [("to_name", "this object does not support span results")]


def _optional_text(value: Json) -> Problems:
    if "text" in value and not isinstance(value["text"], str):
        return [("value.text", f"expected a string, got {show(value['text'])}")]
    return []


def check_label_list(value: Json, key: str, allowed: list[str] | None, *, single: bool = False) -> Problems:
    """``value[key]`` is a non-empty list of strings from ``allowed`` (any string when None)."""
    field = f"value.{key}"
    got = value.get(key)
    if not isinstance(got, list) or not got or not all(isinstance(v, str) for v in got):
        return [(field, f"expected a non-empty list of strings, got {show(got)}")]
    if single and len(got) > 1:
        return [(field, f"expected one value (choice is single), got {len(got)}")]
    if allowed is not None:
        known = set(allowed)
        for i, label in enumerate(got):
            if label not in known:
                return [(f"{field}[{i}]", f"expected one of {show(allowed)}, got {show(label)}")]
    return []
