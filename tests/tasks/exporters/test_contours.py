"""tasks/exporters/contours.py against OpenCV's findContours(RETR_EXTERNAL, CHAIN_APPROX_SIMPLE),
which Label Studio's BRUSH_TO_COCO uses: same contours, same points, same order."""

import numpy as np
import pytest

from tasks.exporters.contours import bounding_rect, find_external_contours, polygon_area

cv2 = pytest.importorskip("cv2")


def masks():
    rng = np.random.default_rng(11)
    for i in range(600):
        h, w = (int(v) for v in rng.integers(1, 30, 2))
        if i % 3:
            yield (rng.random((h, w)) < rng.random()).astype(np.uint8) * 255
        else:
            m = np.zeros((h, w), np.uint8)
            for _ in range(4):
                y, x = rng.integers(0, h), rng.integers(0, w)
                m[y : y + rng.integers(1, 12), x : x + rng.integers(1, 12)] = 255
                m[y + 2 : y + 4, x + 2 : x + 4] = 0  # holes
            yield m
    yy, xx = np.mgrid[:120, :160]
    yield ((((xx - 80) ** 2 + (yy - 60) ** 2) < 50**2) & (((xx - 80) ** 2 + (yy - 60) ** 2) > 20**2)).astype(np.uint8)
    yield np.ones((5, 7), np.uint8)
    yield np.zeros((5, 7), np.uint8)


def test_same_contours_as_opencv():
    compared = 0
    for mask in masks():
        theirs, _ = cv2.findContours(mask.copy(), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        ours = find_external_contours(mask)
        assert ours == [[tuple(int(v) for v in p[0]) for p in c] for c in theirs], mask
        for mine, their in zip(ours, theirs, strict=True):
            assert bounding_rect(mine) == list(cv2.boundingRect(their))
            assert polygon_area(mine) == cv2.contourArea(their)
        compared += len(ours)
    assert compared > 1000
