"""Agreement metrics against hand-computed values and scikit-learn (pure Python, no database)."""

import random

import pytest
from sklearn.metrics import cohen_kappa_score

from annotators.agreement import TaskAnswers, agreement_report, cohen_kappa, compare, krippendorff_alpha_nominal
from annotators.agreement import geometry as g
from annotators.agreement.compare import control_score


def choices(*values, name="sentiment"):
    return [{"from_name": name, "to_name": "text", "type": "choices", "value": {"choices": list(values)}}]


def span(start, end, label, name="ner"):
    return {
        "from_name": name,
        "to_name": "text",
        "type": "labels",
        "value": {"start": start, "end": end, "labels": [label]},
    }


def box(x, y, w, h, label, rotation=0):
    return {
        "from_name": "box",
        "to_name": "image",
        "type": "rectanglelabels",
        "value": {"x": x, "y": y, "width": w, "height": h, "rotation": rotation, "rectanglelabels": [label]},
    }


# --- Cohen's kappa ----------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(6))
def test_kappa_equals_scikit_learn(seed):
    rng = random.Random(seed)
    cats = ["a", "b", "c", "d"][: 2 + seed % 3]
    a = [rng.choice(cats) for _ in range(40)]
    b = [x if rng.random() < 0.6 else rng.choice(cats) for x in a]
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))


def test_kappa_hand_computed():
    # 10 items; observed agreement 0.7; p_e = (.5*.6 + .5*.4) = 0.5 → kappa = (0.7-0.5)/(1-0.5) = 0.4
    a = ["y"] * 5 + ["n"] * 5
    b = ["y", "y", "y", "y", "n", "y", "y", "n", "n", "n"]
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert cohen_kappa_score(a, b) == pytest.approx(0.4)


def test_kappa_degenerate_cases():
    assert cohen_kappa([], []) is None
    assert cohen_kappa(["x", "x"], ["x", "x"]) == 1.0  # scikit-learn says NaN here; they agreed on everything


# --- Krippendorff's alpha ---------------------------------------------------------------------
def test_alpha_krippendorff_2011_example():
    """The reliability data of Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011):
    4 coders, 12 units, missing values; nominal alpha = 0.743."""
    n = None
    coders = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
        [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n],
    ]
    units = [[v for v in unit if v is not None] for unit in zip(*coders, strict=True)]
    assert krippendorff_alpha_nominal(units) == pytest.approx(0.743, abs=5e-4)


def test_alpha_small_hand_computed():
    # units (a,a) and (a,b): o_aa = 2, o_ab = o_ba = 1; n_a = 3, n_b = 1, n = 4
    # alpha = 1 - (n-1) * 2 / (n² - Σn_c²) = 1 - 3*2/(16-10) = 0
    assert krippendorff_alpha_nominal([["a", "a"], ["a", "b"]]) == pytest.approx(0.0)
    assert krippendorff_alpha_nominal([["a", "a"], ["b", "b"]]) == pytest.approx(1.0)
    assert krippendorff_alpha_nominal([["a"], []]) is None


# --- per-control comparison -------------------------------------------------------------------
def test_span_f1():
    a = [span(0, 5, "PER"), span(10, 15, "ORG")]
    b = [span(0, 5, "PER"), span(10, 16, "ORG"), span(20, 25, "LOC")]
    # one exact match; F1 = 2*1 / (2 + 3)
    assert control_score("labels", a, b) == pytest.approx(0.4)
    assert control_score("labels", a, a) == 1.0
    assert control_score("labels", [span(0, 5, "PER")], [span(0, 5, "ORG")]) == 0.0


def test_box_iou_matched_f1():
    a = [box(0, 0, 10, 10, "Car"), box(50, 50, 10, 10, "Car")]
    b = [box(1, 1, 10, 10, "Car"), box(50, 50, 10, 10, "Person")]
    # first pair: intersection 9*9 = 81, union 100+100-81 = 119, IoU 0.68 ≥ 0.5 → match;
    # second pair: same box, different label → no match. F1 = 2*1 / (2+2)
    assert g.iou(g.rectangle(0, 0, 10, 10), g.rectangle(1, 1, 10, 10)) == pytest.approx(81 / 119)
    assert control_score("rectanglelabels", a, b) == pytest.approx(0.5)
    # shifted by 5 of 10: IoU = 50/150 = 1/3 < 0.5 → no match
    assert control_score("rectanglelabels", [box(0, 0, 10, 10, "Car")], [box(5, 0, 10, 10, "Car")]) == 0.0


def test_polygon_iou_concave():
    ell = [(0, 0), (2, 0), (2, 1), (1, 1), (1, 2), (0, 2)]  # area 3
    square = [(0, 0), (2, 0), (2, 2), (0, 2)]  # area 4, contains ell
    assert g.area(ell) == 3
    assert g.intersection_area(ell, square) == pytest.approx(3)
    assert g.intersection_area(square, ell) == pytest.approx(3)
    assert g.iou(ell, square) == pytest.approx(0.75)
    # two L shapes mirrored: overlap is the 1x1 corner square plus two 1x1 arms? hand: see below
    mirrored = [(0, 0), (2, 0), (2, 2), (1, 2), (1, 1), (0, 1)]  # area 3
    # ell ∩ mirrored = bottom row (0..2 x 0..1) = 2; union = 3 + 3 - 2 = 4
    assert g.iou(ell, mirrored) == pytest.approx(0.5)


def test_rotated_rectangle_is_rotated_about_top_left():
    poly = g.rectangle(10, 10, 20, 10, 90)
    expected = [(10, 10), (10, 30), (0, 30), (0, 10)]
    for (x, y), (ex, ey) in zip(poly, expected, strict=True):
        assert (x, y) == pytest.approx((ex, ey))
    assert g.area(poly) == pytest.approx(200)


def test_compare_is_mean_over_controls_and_per_type():
    a = choices("Positive") + [span(0, 5, "PER")]
    b = choices("Positive") + [span(0, 6, "PER")]
    overall, per_type = compare(a, b)
    assert overall == pytest.approx(0.5)
    assert per_type == {"choices": 1.0, "labels": 0.0}
    assert compare([], [])[0] == 1.0
    assert compare(choices("A", "B"), choices("B", "A"))[0] == 1.0  # multi-choice compares as a set


# --- project report ---------------------------------------------------------------------------
def test_report_pairs_alpha_and_accuracy():
    # three annotators (1, 2, 3) on four tasks; task 4 has a ground truth by user 9
    tasks = [
        TaskAnswers(1, {1: choices("P"), 2: choices("P"), 3: choices("N")}),
        TaskAnswers(2, {1: choices("N"), 2: choices("N"), 3: choices("N")}),
        TaskAnswers(3, {1: choices("P"), 2: choices("N")}),
        TaskAnswers(4, {1: choices("P"), 3: choices("N")}, ground_truth=(9, choices("P"))),
    ]
    report = agreement_report(tasks)
    # per task: t1 pairs (1,2)=1 (1,3)=0 (2,3)=0 → 1/3; t2 → 1; t3 → 0; t4 → 0
    assert report["per_task"] == {1: pytest.approx(1 / 3, abs=1e-4), 2: 1.0, 3: 0.0, 4: 0.0}
    assert report["agreement"] == pytest.approx((1 / 3 + 1 + 0 + 0) / 4, abs=1e-4)
    pairs = {(r["a"], r["b"]): r for r in report["matrix"]}
    assert pairs[(1, 2)]["score"] == pytest.approx(2 / 3, abs=1e-4) and pairs[(1, 2)]["tasks"] == 3
    # kappa of users 1 and 2 on tasks 1..3: [P, N, P] vs [P, N, N] — same as scikit-learn
    expected = cohen_kappa_score([("P",), ("N",), ("P",)], [("P",), ("N",), ("N",)])
    assert pairs[(1, 2)]["kappa"]["sentiment"] == pytest.approx(expected, abs=1e-4)
    # accuracy against the ground truth of task 4: user 1 right, user 3 wrong
    assert report["accuracy"] == {1: {"score": 1.0, "tasks": 1}, 3: {"score": 0.0, "tasks": 1}}
    units = [["P", "P", "N"], ["N", "N", "N"], ["P", "N"], ["P", "N"]]
    assert report["alpha"]["sentiment"] == pytest.approx(krippendorff_alpha_nominal(units), abs=1e-4)
