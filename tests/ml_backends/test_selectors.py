"""Reads other apps build on: current model version, HITL priority, monitoring. (The queue orders
by uncertainty and priority: tests/annotators/test_distribution.py.)"""

from annotators.models import Completion
from annotators.services import completion_create, next_task_for
from ml_backends import selectors, services
from ml_backends.models import MLBackend, Prediction
from projects.services import membership_set
from tasks.models import Task
from tests.factories import make_task, make_user


def choice(label):
    return [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [label]}}]


def predict(task, version, score, label="Positive"):
    return Prediction.objects.create(
        task=task, project=task.project, model_version=version, score=score, result=choice(label)
    )


def test_current_model_version(project):
    assert selectors.current_model_version(project) == ""
    predict(make_task(project), "from-import", 0.5)
    assert selectors.current_model_version(project) == "from-import"
    MLBackend.objects.create(project=project, url="http://ml", model_version="backend-v3")
    assert selectors.current_model_version(project) == "backend-v3"
    project.model_version = "pinned-v1"
    assert selectors.current_model_version(project) == "pinned-v1"


def test_hitl_priority_is_stored_in_task_meta(project):
    services.ml_settings_update(project=project, hitl_score_threshold=0.5)
    sure, unsure, unscored = make_task(project, meta={"source": "app"}), make_task(project), make_task(project)
    services.prediction_create(task=sure, result=choice("Positive"), score=0.7)
    services.prediction_create(task=unsure, result=choice("Positive"), score=0.1)
    services.prediction_create(task=unscored, result=choice("Positive"))
    for task in (sure, unsure, unscored):
        task.refresh_from_db()
    assert (sure.meta, unsure.meta, unscored.meta) == ({"source": "app"}, {"priority": 1}, {})
    # the queue serves the prioritised task first, then the rest in order
    annotator = make_user("annotator")
    membership_set(project=project, user=annotator, role="annotator")
    served = []
    while (task := next_task_for(annotator, project)) is not None:
        served.append(task.pk)
        completion_create(task=task, user=annotator, result=choice("Positive"))
    assert served == [unsure.pk, sure.pk, unscored.pk]
    # bulk form, for imports of tasks that carry predictions
    Task.objects.filter(pk=unsure.pk).update(meta={})
    assert services.hitl_prioritize(project=project, task_ids=[sure.pk, unsure.pk]) == 1


def test_model_version_stats_compare_versions_with_reference_completions(project, manager):
    reviewer = make_user("annotator")
    t1, t2, t3 = (make_task(project) for _ in range(3))
    Completion.objects.create(
        task=t1, project=project, completed_by=manager, result=choice("Negative"), ground_truth=True
    )
    Completion.objects.create(
        task=t2,
        project=project,
        completed_by=reviewer,
        result=choice("Positive"),
        review_status=Completion.Review.ACCEPTED,
    )
    Completion.objects.create(
        task=t3, project=project, completed_by=reviewer, result=choice("Neutral")
    )  # not a reference
    for task in (t1, t2, t3):
        predict(task, "old", 0.4, "Positive")
        predict(task, "new", 0.8, "Negative" if task == t1 else "Positive")
    stats = {s["model_version"]: s for s in selectors.model_version_stats(project)}
    assert stats["old"]["agreement"] == 0.5 and stats["new"]["agreement"] == 1.0
    assert stats["new"]["compared"] == 2 and stats["new"]["predictions"] == 3 and stats["new"]["tasks"] == 3
    assert stats["new"]["is_current"] and not stats["old"]["is_current"]
    assert round(stats["old"]["mean_score"], 6) == 0.4
