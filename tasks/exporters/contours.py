"""Outer contours of a binary mask, as OpenCV's ``findContours(mask, RETR_EXTERNAL,
CHAIN_APPROX_SIMPLE)`` returns them (the points, their order and the order of the contours), for
BRUSH_TO_COCO without OpenCV. Suzuki-Abe border following over a zero-framed copy of the mask;
only outer borders not inside another object are traced (holes and what lies in them are
skipped), each from its top-left pixel, keeping the pixels where the direction changes; the last
contour found comes first, as OpenCV lists them. Tested against cv2 on random masks.
"""

from __future__ import annotations

import numpy as np

# direction k: (dx, dy), counter-clockwise from "right" with y downwards
DELTAS = ((1, 0), (1, -1), (0, -1), (-1, -1), (-1, 0), (-1, 1), (0, 1), (1, 1))
RIGHT_MARK = -126  # OpenCV's (2 | -128) as a signed byte: a border pixel with background on its right
MARK = 2


def find_external_contours(mask) -> list[list[tuple[int, int]]]:
    """mask: 2-D array, nonzero = object. Returns contours as lists of (x, y) points."""
    src = np.asarray(mask)
    h, w = src.shape
    img = np.zeros((h + 2, w + 2), dtype=np.int8)
    img[1:-1, 1:-1] = src != 0
    width = w + 2
    flat = img.ravel().tolist()  # plain list: fast single-pixel access in the loops below
    offsets = [dx + dy * width for dx, dy in DELTAS]
    found = []
    # only rows with an object pixel can start a contour
    rows = np.flatnonzero(img.any(axis=1)).tolist()
    for y in rows:
        base = y * width
        row = flat[base : base + width]
        if not any(row):
            continue
        prev = 0
        lnbd = base  # the frame pixel (value 0) starts each row
        x = 1
        while x < width - 1:
            p = flat[base + x]
            if p == prev:
                x += 1
                continue
            if prev == 0 and p == 1 and flat[lnbd] <= 0:
                found.append(_follow(flat, base + x, x - 1, y - 1, offsets))
                prev = flat[base + x]  # OpenCV resumes after the start pixel with its new mark
                x += 1
                continue
            prev = p
            if prev not in (0, 1):
                lnbd = base + x
            x += 1
    found.reverse()
    return found


def _follow(flat: list, i0: int, x: int, y: int, offsets: list) -> list[tuple[int, int]]:
    """OpenCV's icvFetchContour for an outer border starting at i0 (CHAIN_APPROX_SIMPLE)."""
    s = s_end = 4
    while True:
        s = (s - 1) & 7
        i1 = i0 + offsets[s]
        if flat[i1] != 0 or s == s_end:
            break
    if s == s_end:  # a lone pixel
        flat[i0] = RIGHT_MARK
        return [(x, y)]
    points = []
    i3 = i0
    prev_s = s ^ 4
    while True:
        s_end = s
        while True:
            s += 1
            i4 = i3 + offsets[s & 7]
            if flat[i4] != 0 or s >= 15:
                break
        s &= 7
        if 0 <= s - 1 < s_end:  # (unsigned)(s - 1) < s_end: the right neighbour is background
            flat[i3] = RIGHT_MARK
        elif flat[i3] == 1:
            flat[i3] = MARK
        if s != prev_s:
            points.append((x, y))
            prev_s = s
        x += DELTAS[s][0]
        y += DELTAS[s][1]
        if i4 == i0 and i3 == i1:
            break
        i3 = i4
        s = (s + 4) & 7
    return points


def bounding_rect(points) -> list[int]:
    """cv2.boundingRect of integer points: [x, y, width, height], inclusive of the last pixel."""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return [min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1]


def polygon_area(points) -> float:
    """cv2.contourArea: the shoelace area, unsigned."""
    total = 0.0
    n = len(points)
    for i in range(n):
        x0, y0 = points[i - 1]
        x1, y1 = points[i]
        total += x0 * y1 - x1 * y0
    return abs(total) / 2
