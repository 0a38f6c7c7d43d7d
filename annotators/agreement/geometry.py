"""Areas and IoU of boxes and polygons, in pure Python (no shapely on the server).

Coordinates are Label Studio's percent units. Intersection of two simple polygons (convex or not):
triangulate one (ear clipping) and clip the other against each triangle with Sutherland–Hodgman,
which is exact for a convex clip window even when the subject is concave (the bridges it leaves
along the window's edges have zero area).
"""

from __future__ import annotations

import math

Point = tuple[float, float]
Polygon = list[Point]


def signed_area(poly: Polygon) -> float:
    n = len(poly)
    return 0.5 * sum(poly[i][0] * poly[(i + 1) % n][1] - poly[(i + 1) % n][0] * poly[i][1] for i in range(n))


def area(poly: Polygon) -> float:
    return abs(signed_area(poly)) if len(poly) >= 3 else 0.0


def ccw(poly: Polygon) -> Polygon:
    return list(poly) if signed_area(poly) >= 0 else list(reversed(poly))


def rectangle(x: float, y: float, width: float, height: float, rotation: float = 0.0) -> Polygon:
    """Corners of a Label Studio rectangle, rotated (degrees, clockwise on screen) about its top-left."""
    corners = [(0.0, 0.0), (width, 0.0), (width, height), (0.0, height)]
    if not rotation:
        return [(x + cx, y + cy) for cx, cy in corners]
    r = math.radians(rotation)
    cos, sin = math.cos(r), math.sin(r)
    return [(x + cx * cos - cy * sin, y + cx * sin + cy * cos) for cx, cy in corners]


def ellipse(x: float, y: float, rx: float, ry: float, rotation: float = 0.0, steps: int = 32) -> Polygon:
    """An ellipse (centre x, y) approximated by a polygon, good to ~0.6% of its area."""
    r = math.radians(rotation)
    cos, sin = math.cos(r), math.sin(r)
    pts = []
    for k in range(steps):
        t = 2 * math.pi * k / steps
        ex, ey = rx * math.cos(t), ry * math.sin(t)
        pts.append((x + ex * cos - ey * sin, y + ex * sin + ey * cos))
    return pts


def _cross(o: Point, a: Point, b: Point) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _inside_triangle(p: Point, a: Point, b: Point, c: Point) -> bool:
    return _cross(a, b, p) >= 0 and _cross(b, c, p) >= 0 and _cross(c, a, p) >= 0


def triangulate(poly: Polygon) -> list[Polygon]:
    """Ear-clipping triangulation of a simple polygon; triangles are counter-clockwise."""
    pts = ccw(poly)
    triangles: list[Polygon] = []
    guard = 0
    while len(pts) > 3 and guard < 10_000:
        guard += 1
        n = len(pts)
        for i in range(n):
            a, b, c = pts[i - 1], pts[i], pts[(i + 1) % n]
            if _cross(a, b, c) <= 0:
                continue  # reflex or collinear corner: not an ear
            if any(_inside_triangle(p, a, b, c) for p in pts if p not in (a, b, c)):
                continue
            triangles.append([a, b, c])
            del pts[i]
            break
        else:  # degenerate input (collinear / self-touching): fall back to a fan
            triangles.extend([pts[0], pts[k], pts[k + 1]] for k in range(1, len(pts) - 1))
            return [ccw(t) for t in triangles if area(t) > 0]
    if len(pts) == 3:
        triangles.append(pts)
    return [t for t in triangles if area(t) > 0]


def _clip(subject: Polygon, window: Polygon) -> Polygon:
    """Sutherland–Hodgman: ``subject`` clipped to the convex, counter-clockwise ``window``."""
    output = list(subject)
    for i in range(len(window)):
        a, b = window[i - 1], window[i]
        source, output = output, []
        if not source:
            break
        for j in range(len(source)):
            p, q = source[j - 1], source[j]
            p_in, q_in = _cross(a, b, p) >= 0, _cross(a, b, q) >= 0
            if q_in:
                if not p_in:
                    output.append(_intersection(p, q, a, b))
                output.append(q)
            elif p_in:
                output.append(_intersection(p, q, a, b))
    return output


def _intersection(p: Point, q: Point, a: Point, b: Point) -> Point:
    dx1, dy1 = q[0] - p[0], q[1] - p[1]
    dx2, dy2 = b[0] - a[0], b[1] - a[1]
    denom = dx1 * dy2 - dy1 * dx2
    if denom == 0:
        return q
    t = ((a[0] - p[0]) * dy2 - (a[1] - p[1]) * dx2) / denom
    return (p[0] + t * dx1, p[1] + t * dy1)


def intersection_area(p: Polygon, q: Polygon) -> float:
    if len(p) < 3 or len(q) < 3:
        return 0.0
    if not _bbox_overlap(p, q):
        return 0.0
    return sum(area(_clip(p, tri)) for tri in triangulate(q))


def _bbox_overlap(p: Polygon, q: Polygon) -> bool:
    return not (
        max(x for x, _ in p) <= min(x for x, _ in q)
        or max(x for x, _ in q) <= min(x for x, _ in p)
        or max(y for _, y in p) <= min(y for _, y in q)
        or max(y for _, y in q) <= min(y for _, y in p)
    )


def iou(p: Polygon, q: Polygon) -> float:
    inter = intersection_area(p, q)
    union = area(p) + area(q) - inter
    return inter / union if union > 0 else 0.0
