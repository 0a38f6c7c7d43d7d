"""Project-level agreement from plain data: per task, per annotator pair, per control type,
Krippendorff's alpha per categorical control, and accuracy against ground truth.

Input is an iterable of ``TaskAnswers``; the selector that feeds it streams completions from the
database. Output is JSON-able (ids as ints, scores rounded to 4 places).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

from .compare import CATEGORICAL_TYPES, by_control, category, compare
from .metrics import cohen_kappa, krippendorff_alpha_nominal


@dataclass
class TaskAnswers:
    task_id: int
    answers: dict[int, list] = field(default_factory=dict)  # annotator id -> result
    ground_truth: tuple[int, list] | None = None  # (author id, result)


def _mean(values) -> float | None:
    values = list(values)
    return round(sum(values) / len(values), 4) if values else None


def _r(x):
    return None if x is None else round(x, 4)


def agreement_report(tasks: Iterable[TaskAnswers]) -> dict:
    per_task: dict[int, float] = {}
    pair_scores: dict[tuple[int, int], list[float]] = defaultdict(list)
    type_scores: dict[str, list[float]] = defaultdict(list)
    # categorical answers: control -> task -> annotator -> category
    categorical: dict[str, dict[int, dict[int, object]]] = defaultdict(lambda: defaultdict(dict))
    accuracy: dict[int, list[float]] = defaultdict(list)
    annotators: set[int] = set()

    for t in tasks:
        annotators.update(t.answers)
        for user, result in t.answers.items():
            for name, (rtype, items) in by_control(result).items():
                if rtype in CATEGORICAL_TYPES and items:
                    categorical[name][t.task_id][user] = category(rtype, items)
        scores = []
        for a, b in combinations(sorted(t.answers), 2):
            score, per_type = compare(t.answers[a], t.answers[b])
            scores.append(score)
            pair_scores[(a, b)].append(score)
            for rtype, s in per_type.items():
                type_scores[rtype].append(s)
        if scores:
            per_task[t.task_id] = sum(scores) / len(scores)
        if t.ground_truth is not None:
            gt_author, gt_result = t.ground_truth
            for user, result in t.answers.items():
                if user != gt_author:
                    accuracy[user].append(compare(result, gt_result)[0])

    return {
        "agreement": _mean(per_task.values()),
        "tasks_compared": len(per_task),
        "annotators": sorted(annotators),
        "per_task": {tid: round(s, 4) for tid, s in per_task.items()},
        "per_type": {rtype: _mean(v) for rtype, v in sorted(type_scores.items())},
        "matrix": _matrix(pair_scores, categorical),
        "alpha": _alpha(categorical),
        "accuracy": {u: {"score": _mean(v), "tasks": len(v)} for u, v in sorted(accuracy.items())},
    }


def _matrix(pair_scores, categorical) -> list[dict]:
    rows = []
    for (a, b), scores in sorted(pair_scores.items()):
        kappa = {}
        for name, tasks in categorical.items():
            both = [(ans[a], ans[b]) for ans in tasks.values() if a in ans and b in ans]
            if both:
                kappa[name] = _r(cohen_kappa([x for x, _ in both], [y for _, y in both]))
        rows.append({"a": a, "b": b, "score": _mean(scores), "tasks": len(scores), "kappa": kappa})
    return rows


def _alpha(categorical) -> dict:
    """Krippendorff's alpha (nominal) per categorical control and over all of them together
    (units are (task, control) pairs, so categories of different controls never coincide)."""
    alpha = {
        name: _r(krippendorff_alpha_nominal(list(ans.values()) for ans in tasks.values()))
        for name, tasks in sorted(categorical.items())
    }
    pooled = ([(name, v) for v in ans.values()] for name, tasks in categorical.items() for ans in tasks.values())
    alpha["overall"] = _r(krippendorff_alpha_nominal(pooled)) if categorical else None
    return alpha
