"""The dashboard's numbers and the agreement endpoint, on a small hand-checked project."""

from datetime import timedelta

import pytest
from django.utils import timezone
from sklearn.metrics import cohen_kappa_score

from annotators.models import Completion
from annotators.services import completion_create, completion_mark_ground_truth, completion_review
from tests.annotators.conftest import choice
from tests.conftest import client_for
from tests.factories import make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(project, annotators, reviewer, manager):
    """4 tasks, overlap 2. a and b label all four; c skips one. Answers (a, b):
    t1 P/P, t2 N/N, t3 P/N, t4 N/P. Ground truth on t1 (a's)."""
    project.maximum_annotations = 2
    project.save()
    a, b, c = annotators
    tasks = [make_task(project) for _ in range(4)]
    for task, (x, y), lead in zip(
        tasks,
        [("Positive", "Positive"), ("Negative", "Negative"), ("Positive", "Negative"), ("Negative", "Positive")],
        [2, 4, 6, 8],
        strict=True,
    ):
        completion_create(task=task, user=a, result=choice(x), lead_time=lead)
        completion_create(task=task, user=b, result=choice(y), lead_time=lead * 10)
    completion_create(task=tasks[0], user=c, result=[], was_cancelled=True)
    truth = Completion.objects.get(task=tasks[0], completed_by=a)
    completion_mark_ground_truth(completion=truth, user=manager, value=True)
    completion_review(
        completion=Completion.objects.get(task=tasks[2], completed_by=b),
        reviewer=reviewer,
        action="reject",
        comment="wrong",
    )
    # one completion made "yesterday"
    Completion.objects.filter(task=tasks[3], completed_by=b).update(created_at=timezone.now() - timedelta(days=1))
    return tasks


def test_stats(project, manager, annotators, campaign):
    a, b, c = annotators
    response = client_for(manager).get(f"/api/projects/{project.pk}/stats/?days=7")
    assert response.status_code == 200
    stats = response.json()
    assert stats["tasks"] == {"total": 4, "labeled": 4, "started": 4}
    progress = stats["progress"]
    assert [(p["completions"], p["skipped"]) for p in progress] == [(1, 0), (7, 1)]
    people = {p["user"]: p for p in stats["annotators"]}
    assert (people[a.pk]["completions"], people[a.pk]["median_lead_time"]) == (4, 5.0)  # median of 2,4,6,8
    assert (people[b.pk]["rejected"], people[b.pk]["median_lead_time"]) == (1, 50.0)
    assert people[a.pk]["ground_truth"] == 1
    assert (people[c.pk]["completions"], people[c.pk]["skipped"]) == (0, 1)
    assert stats["median_lead_time"] == 14.0  # of 2,4,6,8,20,40,60,80: (8 + 20) / 2
    assert stats["label_distribution"] == {"sentiment": {"type": "choices", "labels": {"Positive": 4, "Negative": 4}}}
    matrix = stats["agreement"]["matrix"]
    assert len(matrix) == 1 and matrix[0]["score"] == 0.5 and matrix[0]["tasks"] == 4
    kappa = cohen_kappa_score(["P", "N", "P", "N"], ["P", "N", "N", "P"])
    assert matrix[0]["kappa"]["sentiment"] == pytest.approx(kappa, abs=1e-4)


def test_agreement_endpoint(project, reviewer, annotators, campaign):
    a, b, _ = annotators
    report = client_for(reviewer).get(f"/api/projects/{project.pk}/agreement/").json()
    assert report["tasks_compared"] == 4 and report["agreement"] == 0.5
    per_task = {int(k): v for k, v in report["per_task"].items()}
    assert per_task == {campaign[0].pk: 1.0, campaign[1].pk: 1.0, campaign[2].pk: 0.0, campaign[3].pk: 0.0}
    assert report["per_type"] == {"choices": 0.5}
    assert report["accuracy"] == {str(b.pk): {"score": 1.0, "tasks": 1}}  # a wrote the truth itself
    # alpha over 4 units of two coders: P P / N N / P N / N P
    # o_PP = 2, o_NN = 2, o_PN = o_NP = 2; n_P = n_N = 4; alpha = 1 - 7 * 4 / (64 - 32) = 0.125
    assert report["alpha"]["sentiment"] == pytest.approx(0.125)
    assert client_for(reviewer).get(f"/api/projects/{project.pk}/agreement/?max_tasks=0").status_code == 400
    limited = client_for(reviewer).get(f"/api/projects/{project.pk}/agreement/?max_tasks=1").json()
    assert limited["tasks_compared"] == 2  # the latest task with overlap, plus the ground-truth task


def test_quality_settings_api(project, manager, annotators):
    url = f"/api/projects/{project.pk}/quality-settings/"
    assert client_for(annotators[0]).get(url).json()["honeypot_share"] == 0.0
    assert client_for(manager).patch(url, {"honeypot_share": 0.2}, format="json").json()["honeypot_share"] == 0.2
    assert client_for(manager).patch(url, {"honeypot_share": 2}, format="json").status_code == 400
