"""Agreement stays near-linear in regions (issue 12: 16k regions took 17.8 s, all pairs compared)
and gives the same scores as comparing every pair."""

from __future__ import annotations

import importlib
import random

import pytest

from annotators.agreement.metrics import greedy_match

cmp = importlib.import_module("annotators.agreement.compare")  # the package exports a function of that name


def box(x, y, w=3.0, h=3.0, label="Car"):
    return {
        "from_name": "label",
        "to_name": "image",
        "type": "rectanglelabels",
        "value": {"x": x, "y": y, "width": w, "height": h, "rectanglelabels": [label]},
    }


def point(x, y, label="Eye"):
    return {
        "from_name": "kp",
        "to_name": "image",
        "type": "keypointlabels",
        "value": {"x": x, "y": y, "keypointlabels": [label]},
    }


def span(start, end, label="PER"):
    return {
        "from_name": "ner",
        "to_name": "text",
        "type": "labels",
        "value": {"start": start, "end": end, "labels": [label]},
    }


@pytest.mark.parametrize("seed", range(8))
def test_indexed_matching_equals_all_pairs(seed):
    rng = random.Random(seed)
    labels = ["Car", "Person"]
    a = [
        box(rng.uniform(0, 40), rng.uniform(0, 40), rng.uniform(1, 10), rng.uniform(1, 10), rng.choice(labels))
        for _ in range(40)
    ]
    b = [
        box(rng.uniform(0, 40), rng.uniform(0, 40), rng.uniform(1, 10), rng.uniform(1, 10), rng.choice(labels))
        for _ in range(35)
    ]
    sa, sb = [cmp._shape(i) for i in a], [cmp._shape(i) for i in b]
    brute = greedy_match(sa, sb, cmp._shape_similarity, cmp.IOU_THRESHOLD)
    assert greedy_match(sa, sb, cmp._shape_similarity, cmp.IOU_THRESHOLD, cmp._overlapping(sa, sb)) == brute
    pa = [cmp._point(point(rng.uniform(0, 20), rng.uniform(0, 20), rng.choice(["Eye", "Nose"]))) for _ in range(50)]
    pb = [cmp._point(point(rng.uniform(0, 20), rng.uniform(0, 20), rng.choice(["Eye", "Nose"]))) for _ in range(50)]
    brute = greedy_match(pa, pb, cmp._point_similarity, 0.5)
    assert greedy_match(pa, pb, cmp._point_similarity, 0.5, cmp._nearby(pa, pb)) == brute
    xa = [span(s, s + rng.randint(1, 3), rng.choice(["PER", "ORG"])) for s in rng.sample(range(60), 30)]
    xb = [span(s, s + rng.randint(1, 3), rng.choice(["PER", "ORG"])) for s in rng.sample(range(60), 30)]
    ka, kb = [cmp._span(i) for i in xa], [cmp._span(i) for i in xb]
    brute = greedy_match(ka, kb, lambda x, y: 1.0 if x == y else 0.0, 1.0)
    assert cmp.control_score("labels", xa, xb) == pytest.approx(2.0 * brute / (len(xa) + len(xb)))


def test_sixteen_thousand_regions_compare_near_linearly(monkeypatch):
    """16,000 boxes per side on a grid (each overlaps its counterpart only): the number of IoU
    computations grows with the regions, not with their square (all pairs: 256 million)."""
    n = 16_000
    calls = {"shape": 0, "point": 0}
    shape_similarity, point_similarity = cmp._shape_similarity, cmp._point_similarity

    def counted_shape(x, y):
        calls["shape"] += 1
        assert calls["shape"] <= 4 * n, "comparing (nearly) every pair of boxes"
        return shape_similarity(x, y)

    def counted_point(x, y):
        calls["point"] += 1
        assert calls["point"] <= 9 * n, "comparing (nearly) every pair of points"
        return point_similarity(x, y)

    monkeypatch.setattr(cmp, "_shape_similarity", counted_shape)
    monkeypatch.setattr(cmp, "_point_similarity", counted_point)
    a = [box((i % 400) * 4.0, (i // 400) * 4.0) for i in range(n)]
    b = [box((i % 400) * 4.0 + 0.5, (i // 400) * 4.0 + 0.5) for i in range(n)]
    overall, _ = cmp.compare(a, b)
    assert overall == 1.0
    assert calls["shape"] <= 4 * n
    pa = [point((i % 400) * 5.0, (i // 400) * 5.0) for i in range(n)]
    pb = [point((i % 400) * 5.0 + 0.5, (i // 400) * 5.0) for i in range(n)]
    assert cmp.compare(pa, pb)[0] == 1.0
    assert calls["point"] <= 9 * n
    sa = [span(i * 10, i * 10 + 5) for i in range(n)]
    assert cmp.compare(sa, list(reversed(sa)))[0] == 1.0
