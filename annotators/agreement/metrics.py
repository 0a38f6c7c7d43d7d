"""Agreement statistics over plain values: exact match, Cohen's kappa, Krippendorff's alpha
(nominal), F1 of matched sets. Pure functions, so tests check them against hand-computed numbers
and scikit-learn."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence


def exact_match(a, b) -> float:
    return 1.0 if a == b else 0.0


def f1(true_positives: int, n_a: int, n_b: int) -> float:
    """F1 of two region sets where ``true_positives`` regions were matched one-to-one.

    Symmetric in a and b (precision of one side is recall of the other); two empty sets agree.
    """
    if n_a == 0 and n_b == 0:
        return 1.0
    return 2.0 * true_positives / (n_a + n_b)


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's kappa of two raters over the same items (same formula as scikit-learn's
    ``cohen_kappa_score`` without weights). When chance agreement is 1 (both raters always gave
    one and the same category) scikit-learn returns NaN; we return 1.0 — they agreed on every item.
    None when there are no items."""
    if len(a) != len(b):
        raise ValueError("both raters must rate the same items")
    n = len(a)
    if n == 0:
        return None
    observed = sum(1 for x, y in zip(a, b, strict=True) if x == y) / n
    count_a, count_b = Counter(a), Counter(b)
    expected = sum(count_a[c] * count_b.get(c, 0) for c in count_a) / (n * n)
    if expected >= 1.0:
        return 1.0 if observed >= 1.0 else 0.0
    return (observed - expected) / (1.0 - expected)


def krippendorff_alpha_nominal(units: Iterable[Iterable[Hashable]]) -> float | None:
    """Krippendorff's alpha for nominal data.

    ``units`` yields, per unit (task), the values the coders gave (missing values simply absent).
    Units with fewer than two values are not pairable and are ignored, as in Krippendorff (2011).
    alpha = 1 - D_o / D_e from the coincidence matrix. None when nothing is pairable; 1.0 when
    only one category was ever used (no expected disagreement, full agreement).
    """
    coincidence: dict[tuple, float] = defaultdict(float)
    for values in units:
        values = list(values)
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        for c, nc in counts.items():
            for k, nk in counts.items():
                pairs = nc * (nc - 1) if c == k else nc * nk
                if pairs:
                    coincidence[(c, k)] += pairs / (m - 1)
    if not coincidence:
        return None
    marginals: dict[Hashable, float] = defaultdict(float)
    for (c, _k), v in coincidence.items():
        marginals[c] += v
    n = sum(marginals.values())
    disagreeing = sum(v for (c, k), v in coincidence.items() if c != k)
    chance = n * n - sum(v * v for v in marginals.values())  # n(n-1) * D_e
    if chance <= 0:
        return 1.0
    return 1.0 - (n - 1) * disagreeing / chance


def greedy_match(a: Sequence, b: Sequence, similarity, threshold: float, candidates=None) -> int:
    """Count one-to-one matches between two region lists, best similarity first, keeping pairs
    whose similarity reaches ``threshold`` (greedy, as detection metrics do). ``candidates``, when
    given, yields the (i, j) pairs that can reach the threshold at all (the caller's index: same
    labels, overlapping boxes, nearby points); the others are never scored, which keeps large
    results near-linear instead of comparing every region with every other."""
    pairs = candidates if candidates is not None else ((i, j) for i in range(len(a)) for j in range(len(b)))
    scored = []
    for i, j in pairs:
        s = similarity(a[i], b[j])
        if s >= threshold:
            scored.append((s, i, j))
    scored.sort(reverse=True)
    used_a, used_b, matches = set(), set(), 0
    for _s, i, j in scored:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            matches += 1
    return matches
