"""Reads other apps build on: current model version, uncertainty order, HITL priority, monitoring."""

from annotators.models import Completion
from ml_backends import selectors, services
from ml_backends.models import MLBackend, Prediction
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


def test_order_by_uncertainty_uses_the_current_versions_lowest_score(project):
    a, b, c, d = (make_task(project) for _ in range(4))
    predict(a, "v2", 0.9)
    predict(b, "v2", 0.2)
    predict(b, "v2", 0.8)  # b's least sure prediction counts
    predict(c, "v2", 0.5)
    predict(d, "v1", 0.01)  # an old version's score does not
    project.model_version = "v2"
    ordered = list(selectors.order_by_uncertainty(Task.objects.filter(project=project), project))
    assert [t.pk for t in ordered] == [b.pk, c.pk, a.pk, d.pk]
    assert ordered[0].current_score == 0.2


def test_hitl_priority_is_stored_in_task_meta(project):
    services.ml_settings_update(project=project, hitl_score_threshold=0.5)
    sure, unsure, unscored = make_task(project, meta={"source": "app"}), make_task(project), make_task(project)
    services.prediction_create(task=sure, result=choice("Positive"), score=0.7)
    services.prediction_create(task=unsure, result=choice("Positive"), score=0.1)
    services.prediction_create(task=unscored, result=choice("Positive"))
    for task in (sure, unsure, unscored):
        task.refresh_from_db()
    assert (sure.meta, unsure.meta, unscored.meta) == ({"source": "app"}, {"priority": 1}, {})
    assert selectors.priority_task_ids(project) == [unsure.pk]
    ordered = Task.objects.filter(project=project).order_by(selectors.priority_order(), "id")
    assert [t.pk for t in ordered] == [unsure.pk, sure.pk, unscored.pk]
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
