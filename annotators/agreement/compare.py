"""Compare two completions' results, control by control (``from_name``), with a metric that fits
the control type:

- classification (choices, taxonomy, rating, number, textarea, datetime, ...): exact match of the
  whole answer of that control (multi-choice answers compare as sets);
- spans (``labels``, ``hypertextlabels``, ``paragraphlabels``, timeseries/audio spans): F1 over
  regions matched by exact boundaries and the same labels;
- shapes (``rectanglelabels``, ``polygonlabels``, ``ellipselabels`` and unlabeled variants): F1
  over regions matched one-to-one by IoU >= 0.5 with the same labels;
- keypoints: F1 over points matched within ``KEYPOINT_DISTANCE`` percent with the same labels;
- video tracks (``videorectangle``): F1 over tracks matched one-to-one with the same labels when
  their mean per-frame IoU >= 0.5 — the mean over the frames where either track shows a box (a box
  on one side only counts 0), boxes interpolated between keyframes as the player shows them
  (at most ``TRACK_SAMPLES`` frames, evenly spaced, are compared). ``timelinelabels`` ranges are
  spans: matched when the same frame ranges carry the same labels.

A control that neither side answered is not compared; one side answering and the other not
scores 0.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from . import geometry
from .metrics import f1, greedy_match

IOU_THRESHOLD = 0.5
KEYPOINT_DISTANCE = 2.0

SPAN_TYPES = {"labels", "hypertextlabels", "paragraphlabels", "timeserieslabels", "timelinelabels"}
SHAPE_TYPES = {"rectanglelabels", "rectangle", "polygonlabels", "polygon", "ellipselabels", "ellipse"}
KEYPOINT_TYPES = {"keypointlabels", "keypoint"}
TRACK_TYPES = {"videorectangle"}
TRACK_SAMPLES = 500
CATEGORICAL_TYPES = {"choices", "taxonomy", "rating"}  # usable by kappa / alpha
IGNORED_TYPES = {"relation"}


def kind_of(result_type: str) -> str:
    if result_type in SPAN_TYPES:
        return "span"
    if result_type in SHAPE_TYPES:
        return "shape"
    if result_type in KEYPOINT_TYPES:
        return "keypoint"
    if result_type in TRACK_TYPES:
        return "track"
    return "classification"


def _freeze(value):
    """A hashable, order-insensitive form of a JSON value (lists compare as multisets)."""
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(sorted((_freeze(v) for v in value), key=repr))
    if isinstance(value, str):
        return value.strip()
    return value


VALUE_KEYS = {"textarea": "text"}  # where a type's answer sits in ``value`` when not under its own name


def _labels(item: dict) -> frozenset:
    key = "labels" if item.get("type") in TRACK_TYPES else item.get("type")
    labels = (item.get("value") or {}).get(key)
    return frozenset(_freeze(x) for x in labels) if isinstance(labels, list) else frozenset()


def _answer(item: dict):
    """The classification payload of an item (region geometry of per-region answers left out)."""
    value = item.get("value") or {}
    key = VALUE_KEYS.get(item.get("type"), item.get("type"))
    return _freeze(value[key]) if key in value else _freeze(value)


def _span(item: dict):
    v = item.get("value") or {}
    bounds = tuple(v.get(k) for k in ("start", "end", "startOffset", "endOffset", "start_time", "end_time"))
    if "ranges" in v:  # timelinelabels: frame ranges
        bounds = _freeze(v["ranges"])
    return bounds, _labels(item)


def _shape(item: dict):
    v = item.get("value") or {}
    t = item.get("type", "")
    try:
        if t.startswith("rectangle"):
            poly = geometry.rectangle(v["x"], v["y"], v["width"], v["height"], v.get("rotation") or 0)
        elif t.startswith("polygon"):
            poly = [(float(p[0]), float(p[1])) for p in v.get("points") or []]
        else:
            poly = geometry.ellipse(v["x"], v["y"], v["radiusX"], v["radiusY"], v.get("rotation") or 0)
    except (KeyError, TypeError, ValueError, IndexError):
        poly = []
    return poly, _labels(item)


def _point(item: dict):
    v = item.get("value") or {}
    return (v.get("x"), v.get("y")), _labels(item)


def by_control(result: list) -> dict[str, tuple[str, list]]:
    """{from_name: (result type, [items])} for a result list, skipping relations and junk."""
    grouped: dict[str, tuple[str, list]] = {}
    for item in result or ():
        if not isinstance(item, dict) or item.get("type") in IGNORED_TYPES or not item.get("from_name"):
            continue
        name = item["from_name"]
        if name not in grouped:
            grouped[name] = (item.get("type", ""), [])
        grouped[name][1].append(item)
    return grouped


def category(result_type: str, items: list):
    """The answer of a categorical control as one hashable category (for kappa and alpha)."""
    if not items:
        return None
    answers = tuple(sorted((_answer(i) for i in items), key=repr))
    return answers[0] if len(answers) == 1 else answers


def control_score(result_type: str, a: list, b: list) -> float | None:
    """Agreement of two item lists of one control, in [0, 1]; None if neither answered."""
    if not a and not b:
        return None
    kind = kind_of(result_type)
    if kind == "classification":
        return 1.0 if category(result_type, a) == category(result_type, b) else 0.0
    if kind == "span":  # exact boundaries and labels: a multiset intersection, linear
        sa, sb = Counter(_freeze_span(i) for i in a), Counter(_freeze_span(i) for i in b)
        return f1(sum((sa & sb).values()), len(a), len(b))
    if kind == "shape":
        sa, sb = [_shape(i) for i in a], [_shape(i) for i in b]
        return f1(greedy_match(sa, sb, _shape_similarity, IOU_THRESHOLD, _overlapping(sa, sb)), len(sa), len(sb))
    if kind == "track":
        ta, tb = [_track(i) for i in a], [_track(i) for i in b]
        return f1(greedy_match(ta, tb, _track_similarity, IOU_THRESHOLD), len(ta), len(tb))
    pa, pb = [_point(i) for i in a], [_point(i) for i in b]
    return f1(greedy_match(pa, pb, _point_similarity, 0.5, _nearby(pa, pb)), len(pa), len(pb))


def _freeze_span(item: dict):
    """A span's boundaries and labels as a hashable key (equal keys = an exact match)."""
    bounds, labels = _span(item)
    return tuple(b if b is None or isinstance(b, int | float | str) else repr(b) for b in bounds), labels


def _overlapping(sa: list, sb: list):
    """(i, j) of shapes with the same labels whose bounding boxes overlap (IoU > 0 needs that):
    per label set, a sweep over boxes sorted by left edge. Near-linear for real annotations."""
    groups: dict = defaultdict(lambda: ([], []))
    for side, shapes in ((0, sa), (1, sb)):
        for index, (poly, labels) in enumerate(shapes):
            if len(poly) >= 3:
                xs, ys = [p[0] for p in poly], [p[1] for p in poly]
                groups[labels][side].append((min(xs), max(xs), min(ys), max(ys), index))
    for boxes_a, boxes_b in groups.values():
        events = sorted([(box[0], 0, box) for box in boxes_a] + [(box[0], 1, box) for box in boxes_b])
        active: tuple[list, list] = ([], [])
        for left, side, box in events:
            other = active[1 - side]
            other[:] = [o for o in other if o[1] >= left]  # drop boxes ending left of this one
            for o in other:
                if o[2] <= box[3] and box[2] <= o[3]:  # y-ranges overlap too
                    yield (box[4], o[4]) if side == 0 else (o[4], box[4])
            active[side].append(box)


def _nearby(pa: list, pb: list):
    """(i, j) of points with the same labels within KEYPOINT_DISTANCE: a grid of that cell size."""
    cell = KEYPOINT_DISTANCE
    grid: dict = defaultdict(list)
    for j, ((x, y), labels) in enumerate(pb):
        if isinstance(x, int | float) and isinstance(y, int | float) and math.isfinite(x) and math.isfinite(y):
            grid[(labels, int(x // cell), int(y // cell))].append(j)
    for i, ((x, y), labels) in enumerate(pa):
        if not (isinstance(x, int | float) and isinstance(y, int | float) and math.isfinite(x) and math.isfinite(y)):
            continue
        cx, cy = int(x // cell), int(y // cell)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for j in grid.get((labels, cx + dx, cy + dy), ()):
                    yield i, j


def _shape_similarity(x, y) -> float:
    if x[1] != y[1]:
        return 0.0
    return geometry.iou(x[0], y[0])


def _track(item: dict):
    v = item.get("value") or {}
    sequence = v.get("sequence") if isinstance(v.get("sequence"), list) else []
    return (sequence, v.get("framesCount") or 0), _labels(item)


def _track_similarity(x, y) -> float:
    from tasks.exporters.tracks import box_at  # the player's and the exporter's rule

    if x[1] != y[1]:
        return 0.0
    (seq_a, count_a), (seq_b, count_b) = x[0], y[0]
    frames = [k["frame"] for k in seq_a + seq_b if isinstance(k, dict) and isinstance(k.get("frame"), int)]
    if not frames:
        return 0.0
    first, last = min(frames), max(count_a, count_b, *frames)
    step = max(1, (last - first + 1) // TRACK_SAMPLES)
    total, compared = 0.0, 0
    for frame in range(first, last + 1, step):
        box_a, box_b = box_at(seq_a, frame), box_at(seq_b, frame)
        if box_a is None and box_b is None:
            continue
        compared += 1
        if box_a is not None and box_b is not None:
            total += geometry.iou(
                geometry.rectangle(box_a["x"], box_a["y"], box_a["width"], box_a["height"], box_a["rotation"]),
                geometry.rectangle(box_b["x"], box_b["y"], box_b["width"], box_b["height"], box_b["rotation"]),
            )
    return total / compared if compared else 0.0


def _point_similarity(x, y) -> float:
    if x[1] != y[1] or None in x[0] or None in y[0]:
        return 0.0
    return 1.0 if math.dist(x[0], y[0]) <= KEYPOINT_DISTANCE else 0.0


def compare(result_a: list, result_b: list) -> tuple[float, dict[str, float]]:
    """(overall score, {result type: score}) for two results. Overall is the mean over compared
    controls; two results that both answer nothing agree fully."""
    ga, gb = by_control(result_a), by_control(result_b)
    per_type: dict[str, list[float]] = defaultdict(list)
    scores = []
    for name in ga.keys() | gb.keys():
        result_type = (ga.get(name) or gb.get(name))[0]
        score = control_score(result_type, ga.get(name, ("", []))[1], gb.get(name, ("", []))[1])
        if score is None:
            continue
        scores.append(score)
        per_type[result_type].append(score)
    overall = sum(scores) / len(scores) if scores else 1.0
    return overall, {t: sum(v) / len(v) for t, v in per_type.items()}
