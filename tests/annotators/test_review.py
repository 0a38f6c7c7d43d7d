"""Review (accept, reject with comment, correct) and ground truth."""

import pytest
from django.db import IntegrityError, transaction

from annotators.models import Completion
from annotators.selectors import filter_tasks_by_review
from annotators.services import completion_create, completion_review
from tasks.models import Task
from tests.annotators.conftest import choice
from tests.conftest import client_for
from tests.factories import make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(project, annotators):
    task = make_task(project)
    return completion_create(task=task, user=annotators[0], result=choice("Positive"))


def review(user, completion, **body):
    return client_for(user).post(f"/api/annotations/{completion.pk}/review", body, format="json")


def test_accept(reviewer, submitted):
    response = review(reviewer, submitted, action="accept")
    assert response.status_code == 200
    body = response.json()
    assert body["review_status"] == "accepted" and body["reviewed_by"] == reviewer.pk and body["version"] == 2


def test_reject_needs_a_comment_the_annotator_sees_and_fixes(project, reviewer, annotators, submitted):
    assert review(reviewer, submitted, action="reject").status_code == 400
    assert review(reviewer, submitted, action="reject", comment="  ").status_code == 400
    response = review(reviewer, submitted, action="reject", comment="it is negative")
    assert response.status_code == 200 and response.json()["review_status"] == "rejected"
    author = client_for(annotators[0])
    queue = author.get(f"/api/projects/{project.pk}/review-queue").json()["results"]
    assert [(c["id"], c["review_comment"]) for c in queue] == [(submitted.pk, "it is negative")]
    # the review bumped the version: an edit based on the old one is stale
    url = f"/api/annotations/{submitted.pk}/"
    assert author.patch(url, {"result": choice("Negative"), "version": 1}, format="json").status_code == 409
    fixed = author.patch(url, {"result": choice("Negative"), "version": 2}, format="json").json()
    assert fixed["review_status"] == "" and fixed["version"] == 3
    staff_queue = client_for(reviewer).get(f"/api/projects/{project.pk}/review-queue").json()["results"]
    assert [c["id"] for c in staff_queue] == [submitted.pk]  # back in the reviewers' queue
    assert author.get(f"/api/projects/{project.pk}/review-queue").json()["results"] == []


def test_correct_creates_a_linked_completion(reviewer, submitted):
    response = review(reviewer, submitted, action="correct", result=choice("Neutral"))
    assert response.status_code == 201
    body = response.json()
    assert body["review_status"] == "fixed"
    correction = body["correction"]
    assert correction["parent_completion"] == submitted.pk and correction["completed_by"] == reviewer.pk
    assert correction["result"] == choice("Neutral")
    assert review(reviewer, submitted, action="correct").status_code == 400  # needs a result
    bad = review(reviewer, submitted, action="correct", result=[{"from_name": "x"}])
    assert bad.status_code in (400, 409)


def test_review_stale_version_is_409(reviewer, submitted):
    assert review(reviewer, submitted, action="accept", version=5).status_code == 409


def test_skips_cannot_be_reviewed_or_truth(project, reviewer, annotators):
    skip = completion_create(task=make_task(project), user=annotators[1], result=[], was_cancelled=True)
    assert review(reviewer, skip, action="accept").status_code == 400
    truth = client_for(reviewer).post(f"/api/annotations/{skip.pk}/ground-truth", {"value": True}, format="json")
    assert truth.status_code == 400


def test_review_queue_pending_oldest_first_not_own_not_skipped(project, reviewer, annotators):
    tasks = [make_task(project) for _ in range(3)]
    c1 = completion_create(task=tasks[0], user=annotators[0], result=choice("Positive"))
    c2 = completion_create(task=tasks[1], user=annotators[1], result=choice("Positive"))
    completion_create(task=tasks[2], user=annotators[2], result=[], was_cancelled=True)
    completion_create(task=tasks[0], user=reviewer, result=choice("Positive"))
    client = client_for(reviewer)
    url = f"/api/projects/{project.pk}/review-queue"
    assert [c["id"] for c in client.get(url).json()["results"]] == [c1.pk, c2.pk]
    completion_review(completion=c1, reviewer=reviewer, action="accept")
    assert [c["id"] for c in client.get(url).json()["results"]] == [c2.pk]
    assert [c["id"] for c in client.get(url + "?status=accepted").json()["results"]] == [c1.pk]
    assert client.get(url + "?status=bogus").status_code == 400


def test_review_state_filters_for_data_manager_and_export(project, reviewer, annotators):
    t1, t2 = make_task(project), make_task(project)
    c1 = completion_create(task=t1, user=annotators[0], result=choice("Positive"))
    completion_create(task=t2, user=annotators[0], result=choice("Positive"))
    completion_review(completion=c1, reviewer=reviewer, action="reject", comment="no")
    tasks = Task.objects.filter(project=project)
    assert list(filter_tasks_by_review(tasks, "rejected")) == [t1]
    assert list(filter_tasks_by_review(tasks, "pending")) == [t2]
    listed = client_for(reviewer).get(f"/api/projects/{project.pk}/annotations/?review=rejected").json()["results"]
    assert [c["id"] for c in listed] == [c1.pk]


def test_ground_truth_one_per_task(project, reviewer, annotators, manager):
    task = make_task(project, overlap=2)
    a = completion_create(task=task, user=annotators[0], result=choice("Positive"))
    b = completion_create(task=task, user=annotators[1], result=choice("Negative"))
    client = client_for(manager)
    assert client.post(f"/api/annotations/{a.pk}/ground-truth", {"value": True}, format="json").json()["ground_truth"]
    assert client.post(f"/api/annotations/{b.pk}/ground-truth", {}, format="json").json()["ground_truth"]
    assert list(Completion.objects.filter(ground_truth=True).values_list("pk", flat=True)) == [b.pk]
    unmark = client.post(f"/api/annotations/{b.pk}/ground-truth", {"value": False}, format="json")
    assert unmark.json()["ground_truth"] is False
    assert not Completion.objects.filter(ground_truth=True).exists()
    listed = client.get(f"/api/projects/{project.pk}/annotations/?ground_truth=1").json()["results"]
    assert listed == []


def test_database_refuses_two_truths_for_a_task(project, annotators):
    task = make_task(project, overlap=2)
    a = completion_create(task=task, user=annotators[0], result=choice("Positive"))
    b = completion_create(task=task, user=annotators[1], result=choice("Negative"))
    Completion.objects.filter(pk=a.pk).update(ground_truth=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Completion.objects.filter(pk=b.pk).update(ground_truth=True)
