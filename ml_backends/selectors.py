"""Reads for ML: what a user may see, the current model version, queue ordering, monitoring.

For next-task code (another app):
- ``current_model_version(project)`` — the version whose predictions annotators see.
- ``order_by_uncertainty(tasks, project)`` — uncertainty sampling: lowest current-version score
  first (tasks without a current prediction last), then id.
- HITL priority lives in ``Task.meta["priority"]`` (1 = front of the queue); order by
  ``priority_order()`` first, or ask ``priority_task_ids(project)``.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Avg, Count, F, FloatField, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce

from .models import MLBackend, Prediction


def _member_filter(user, field: str = "project") -> Q:
    return Q(**{f"{field}__memberships__user": user})


def backend_list_for(user) -> QuerySet[MLBackend]:
    qs = MLBackend.objects.select_related("project")
    return qs if user.is_superuser else qs.filter(_member_filter(user)).distinct()


def prediction_list_for(user) -> QuerySet[Prediction]:
    qs = Prediction.objects.select_related("ml_backend")
    return qs if user.is_superuser else qs.filter(project__memberships__user=user)


def current_model_version(project) -> str:
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


def current_score_subquery(project, version: str | None = None) -> Subquery:
    """Min score of a task's predictions from the current model version (for annotate())."""
    version = current_model_version(project) if version is None else version
    scores = (
        Prediction.objects.filter(task=OuterRef("pk"), model_version=version)
        .order_by()
        .values("task")
        .annotate(s=Min("score"))
        .values("s")[:1]
    )
    return Subquery(scores, output_field=FloatField())


def order_by_uncertainty(tasks: QuerySet, project) -> QuerySet:
    """Tasks ordered for uncertainty sampling, least sure first; uses the (task, model_version)
    index per task, so apply it to an already filtered queryset (e.g. unlabeled, unlocked)."""
    return tasks.annotate(current_score=current_score_subquery(project)).order_by(
        F("current_score").asc(nulls_last=True), "id"
    )


def priority_order():
    """Order expression: HITL priority first (``meta.priority`` descending, missing = 0)."""
    return Coalesce(Cast(KT("meta__priority"), FloatField()), 0.0).desc()


def priority_task_ids(project) -> list[int]:
    """Unlabeled tasks marked for the front of the queue (HITL), oldest first."""
    return list(
        project.tasks.filter(meta__priority__gte=1, is_labeled=False).order_by("id").values_list("id", flat=True)
    )


def backend_versions(backend: MLBackend) -> list[dict]:
    """Model versions with predictions from this backend, newest first, with counts."""
    rows = (
        Prediction.objects.filter(ml_backend=backend)
        .values("model_version")
        .annotate(predictions=Count("id"), last=Max("id"))
        .order_by("-last")
    )
    return [{"model_version": r["model_version"], "predictions": r["predictions"]} for r in rows]


def model_version_stats(project) -> list[dict]:
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
    reference: dict[int, list] = {}
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
