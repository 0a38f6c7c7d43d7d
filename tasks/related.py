"""A task's annotations, predictions and drafts embedded in its JSON, as Label Studio's task API
includes them: always on GET /api/tasks/{id}, and on the task list with ``fields=all`` (the SDK's
default); ``fields=task_only`` (Label Studio's list default) leaves them out.

Annotators see only their own completions unless the project lets them see all (the same rule as
/api/tasks/{id}/annotations); drafts are the requesting user's own."""

from __future__ import annotations

from projects.access import ANNOTATOR, role_of
from projects.models import Project


def wants_related(request, *, detail: bool) -> bool:
    if detail:
        return True
    return request.query_params.get("fields") == "all"


def related_for(tasks, user) -> dict[int, dict]:
    """{task_id: {"annotations": [...], "predictions": [...], "drafts": [...]}} in three queries."""
    # listed layering exception, lazy so tasks loads on its own: task JSON embeds completions, predictions
    from annotators.models import Completion, Draft
    from annotators.serializers import completion_json
    from ml_backends.models import Prediction
    from ml_backends.serializers import PredictionSerializer

    ids = [t.pk for t in tasks]
    out = {pk: {"annotations": [], "predictions": [], "drafts": []} for pk in ids}
    if not ids:
        return out
    project_ids = {t.project_id for t in tasks}
    see_all = dict(Project.objects.filter(pk__in=project_ids).values_list("pk", "annotators_see_all"))
    own_only = {t.pk for t in tasks if role_of(user, t.project_id) == ANNOTATOR and not see_all.get(t.project_id)}
    for c in Completion.objects.filter(task_id__in=ids).order_by("id"):
        if c.task_id in own_only and c.completed_by_id != user.pk:
            continue
        out[c.task_id]["annotations"].append(completion_json(c))
    preds = Prediction.objects.filter(task_id__in=ids).select_related("ml_backend").order_by("id")
    for p in PredictionSerializer(preds, many=True).data:
        out[p["task"]]["predictions"].append(p)
    for d in Draft.objects.filter(task_id__in=ids, user_id=user.pk).order_by("id"):
        out[d.task_id]["drafts"].append(
            {
                "id": d.pk,
                "user": d.user_id,
                "task": d.task_id,
                "annotation": d.completion_id,
                "result": d.result,
                "lead_time": d.lead_time,
                "created_at": d.created_at.isoformat(),
                "updated_at": d.updated_at.isoformat(),
            }
        )
    return out
