"""Reads for the project dashboard and the agreement endpoint.

Everything here is grouped in the database except agreement, which compares result JSON in
Python (annotators/agreement/) over a bounded set of tasks: the ``max_tasks`` most recent tasks
with two or more completions, plus ground-truth tasks for accuracy. The response says how many
tasks were considered, so a dashboard never pretends to cover more than it read.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import timedelta

from django.db import connection
from django.db.models import Aggregate, Avg, Count, FloatField, Max, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from projects.models import Project
from tasks.models import Task

from .agreement import TaskAnswers, agreement_report
from .agreement.compare import by_control
from .models import Completion

MAX_AGREEMENT_TASKS = 2000


class Median(Aggregate):
    """PostgreSQL's percentile_cont(0.5); other databases get the median computed in Python."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _medians(qs, by: str | None = None) -> dict:
    """Median lead time, overall (key None) or per ``by`` value."""
    qs = qs.filter(lead_time__isnull=False)
    if connection.vendor == "postgresql":
        if by is None:
            return {None: qs.aggregate(m=Median("lead_time"))["m"]}
        return dict(qs.values_list(by).annotate(m=Median("lead_time")).order_by().values_list(by, "m"))
    groups: dict = defaultdict(list)
    for key, lead in qs.values_list(by or "project_id", "lead_time").iterator(chunk_size=5000):
        groups[key if by else None].append(lead)
    return {k: statistics.median(v) for k, v in groups.items()}


def project_stats(project: Project, days: int = 30, max_tasks: int = MAX_AGREEMENT_TASKS) -> dict:
    since = timezone.now() - timedelta(days=days)
    completions = Completion.objects.filter(project=project)
    per_day = (
        completions.filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(
            completions=Count("pk", filter=Q(was_cancelled=False)), skipped=Count("pk", filter=Q(was_cancelled=True))
        )
        .order_by("day")
    )
    medians = _medians(completions.filter(was_cancelled=False), "completed_by")
    annotators = []
    rows = (
        completions.values("completed_by", "completed_by__username")
        .annotate(
            completions=Count("pk", filter=Q(was_cancelled=False)),
            skipped=Count("pk", filter=Q(was_cancelled=True)),
            accepted=Count("pk", filter=Q(review_status=Completion.Review.ACCEPTED)),
            rejected=Count("pk", filter=Q(review_status=Completion.Review.REJECTED)),
            ground_truth=Count("pk", filter=Q(ground_truth=True)),
            mean_lead_time=Avg("lead_time", filter=Q(was_cancelled=False)),
            first=Min("created_at"),
            last=Max("created_at"),
        )
        .order_by("-completions")
    )
    for row in rows:
        active_days = max((row["last"] - row["first"]).total_seconds() / 86400, 1.0)
        annotators.append(
            {
                "user": row["completed_by"],
                "username": row["completed_by__username"],
                "completions": row["completions"],
                "skipped": row["skipped"],
                "accepted": row["accepted"],
                "rejected": row["rejected"],
                "ground_truth": row["ground_truth"],
                "mean_lead_time": row["mean_lead_time"],
                "median_lead_time": medians.get(row["completed_by"]),
                "completions_per_day": round(row["completions"] / active_days, 2),
                "first": row["first"],
                "last": row["last"],
            }
        )
    tasks = Task.objects.filter(project=project).aggregate(
        total=Count("pk"),
        labeled=Count("pk", filter=Q(is_labeled=True)),
        started=Count("pk", filter=Q(total_annotations__gt=0)),
    )
    agreement = project_agreement(project, max_tasks=max_tasks)
    return {
        "project": project.pk,
        "tasks": tasks,
        "progress": [
            {"date": r["day"].isoformat(), "completions": r["completions"], "skipped": r["skipped"]} for r in per_day
        ],
        "annotators": annotators,
        "median_lead_time": _medians(completions.filter(was_cancelled=False)).get(None),
        "agreement": {
            k: agreement[k]
            for k in ("agreement", "tasks_compared", "annotators", "matrix", "alpha", "per_type", "accuracy")
        },
        "label_distribution": label_distribution(project),
    }


LABELS_SQL = """
SELECT item->>'from_name', item->>'type', label, COUNT(*)
FROM annotators_completion c
CROSS JOIN LATERAL jsonb_array_elements(
    CASE WHEN jsonb_typeof(c.result) = 'array' THEN c.result ELSE '[]'::jsonb END) AS item
CROSS JOIN LATERAL jsonb_array_elements_text(
    CASE WHEN jsonb_typeof(item->'value'->(item->>'type')) = 'array'
         THEN item->'value'->(item->>'type') ELSE '[]'::jsonb END) AS label
WHERE c.project_id = %s AND NOT c.was_cancelled
GROUP BY 1, 2, 3
"""


def label_distribution(project: Project) -> dict:
    """{control: {"type": result type, "labels": {label: count}}} over submitted completions."""
    counts: dict[str, Counter] = defaultdict(Counter)
    types: dict[str, str] = {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(LABELS_SQL, [project.pk])
            for control, rtype, label, n in cursor.fetchall():
                counts[control][label] += n
                types[control] = rtype
    else:
        results = Completion.objects.filter(project=project, was_cancelled=False).values_list("result", flat=True)
        for result in results.iterator(chunk_size=2000):
            for control, (rtype, items) in by_control(result).items():
                types[control] = rtype
                for item in items:
                    labels = (item.get("value") or {}).get(rtype)
                    for label in labels if isinstance(labels, list) else ():
                        counts[control][label if isinstance(label, str) else str(label)] += 1
    return {c: {"type": types[c], "labels": dict(counts[c].most_common())} for c in sorted(counts)}


def project_agreement(project: Project, max_tasks: int = MAX_AGREEMENT_TASKS) -> dict:
    """Agreement per task, per annotator pair (with Cohen's kappa per categorical control), per
    control type, Krippendorff's alpha, and accuracy against ground truth per annotator."""
    overlapping = list(
        Task.objects.filter(project=project, total_annotations__gte=2)
        .order_by("-id")
        .values_list("pk", flat=True)[:max_tasks]
    )
    truth = list(
        Completion.objects.filter(project=project, ground_truth=True)
        .order_by("-task_id")
        .values_list("task_id", flat=True)[:max_tasks]
    )
    task_ids = sorted(set(overlapping) | set(truth))
    by_task: dict[int, TaskAnswers] = {}
    for start in range(0, len(task_ids), 500):
        rows = (
            Completion.objects.filter(task_id__in=task_ids[start : start + 500], was_cancelled=False)
            .values_list("task_id", "completed_by_id", "result", "ground_truth", "parent_completion_id")
            .order_by("task_id", "pk")
        )
        for task_id, user_id, result, is_truth, parent in rows:
            answers = by_task.setdefault(task_id, TaskAnswers(task_id))
            if is_truth:
                answers.ground_truth = (user_id, result)
            if parent is None:  # reviewers' corrections are not a second opinion
                answers.answers[user_id] = result
    report = agreement_report(by_task[t] for t in task_ids if t in by_task)
    report["max_tasks"] = max_tasks
    return report
