"""Reads for ML: what a user may see, the current model version, monitoring.

For next-task code (another app): ``current_model_version(project)`` — the version whose
predictions annotators see and uncertainty sampling orders by. The queue order itself (HITL
priority in ``Task.meta["priority"]``, uncertainty, ...) is annotators/services/queue_sql.py.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Avg, Count, Max, Min, Q, QuerySet

from projects.models import Project

from .models import MLBackend, Prediction


def _member_filter(user: User, field: str = "project") -> Q:
    return Q(**{f"{field}__memberships__user": user})


def backend_list_for(user: User) -> QuerySet[MLBackend]:
    qs = MLBackend.objects.select_related("project")
    return qs if user.is_superuser else qs.filter(_member_filter(user)).distinct()


def prediction_list_for(user: User) -> QuerySet[Prediction]:
    qs = Prediction.objects.select_related("ml_backend")
    return qs if user.is_superuser else qs.filter(project__memberships__user=user)


def current_model_version(project: Project) -> str:
    """``project.model_version`` when set; else the newest version a backend of the project
    reported; else the version of the project's newest prediction; "" when there is none."""
    if project.model_version:
        return project.model_version
    backend_version = (
        MLBackend.objects.filter(project=project)
        .exclude(model_version="")
        .order_by("-last_checked_at", "-updated_at")
        .values_list("model_version", flat=True)
        .first()
    )
    if backend_version:
        return backend_version
    return (
        Prediction.objects.filter(project=project).order_by("-id").values_list("model_version", flat=True).first() or ""
    )


def backend_versions(backend: MLBackend) -> list[dict[str, Any]]:
    """Model versions with predictions from this backend, newest first, with counts."""
    rows = (
        Prediction.objects.filter(ml_backend=backend)
        .values("model_version")
        .annotate(predictions=Count("id"), last=Max("id"))
        .order_by("-last")
    )
    return [{"model_version": r["model_version"], "predictions": r["predictions"]} for r in rows]


def model_version_stats(project: Project) -> list[dict[str, Any]]:
    """Per model version: counts, mean score, and agreement with the reference completions
    (ground truth, else accepted by review) on the tasks that have one — so a version that is
    worse than the previous one shows."""
    # cross-app import (a listed exception in pyproject.toml): model agreement compares predictions with completions
    from annotators.agreement import compare
    from annotators.models import Completion

    rows = (
        Prediction.objects.filter(project=project)
        .values("model_version")
        .annotate(
            predictions=Count("id"),
            tasks=Count("task", distinct=True),
            mean_score=Avg("score"),
            first_id=Min("id"),
            last_id=Max("id"),
            backend=Max("ml_backend_id"),
        )
        .order_by("-last_id")
    )
    stats = {r["model_version"]: {**r, "agreement": None} for r in rows}
    refs = Completion.objects.filter(project=project, was_cancelled=False).filter(
        Q(ground_truth=True) | Q(review_status=Completion.Review.ACCEPTED)
    )
    reference: dict[int, list[Any]] = {}  # task id -> its reference result (JSON)
    ordered = refs.order_by("task_id", "-ground_truth", "-id").values_list("task_id", "result")
    for task_id, result in ordered.iterator(chunk_size=2000):
        reference.setdefault(task_id, result)
    scores: dict[str, list[float]] = defaultdict(list)
    if reference:
        predictions = Prediction.objects.filter(project=project, task_id__in=list(reference)).values_list(
            "task_id", "model_version", "result"
        )
        for task_id, version, result in predictions.iterator(chunk_size=2000):
            scores[version].append(compare(result or [], reference[task_id] or [])[0])
    current = current_model_version(project)
    out = []
    for version, row in stats.items():
        values = scores.get(version, [])
        out.append(
            {
                "model_version": version,
                "ml_backend": row["backend"],
                "predictions": row["predictions"],
                "tasks": row["tasks"],
                "mean_score": row["mean_score"],
                "compared": len(values),
                "agreement": sum(values) / len(values) if values else None,
                "is_current": version == current,
            }
        )
    return out
