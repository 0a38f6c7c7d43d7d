"""Agreement metrics in pure Python: compare results per control type, aggregate per project."""

from .compare import compare, control_score
from .metrics import cohen_kappa, exact_match, f1, krippendorff_alpha_nominal
from .report import TaskAnswers, agreement_report

__all__ = [
    "TaskAnswers",
    "agreement_report",
    "cohen_kappa",
    "compare",
    "control_score",
    "exact_match",
    "f1",
    "krippendorff_alpha_nominal",
]
