"""Next task: overlap, locks, sampling orders, skip queues, assignments, honeypots, priority."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from annotators.models import TaskLock
from annotators.services import (
    assignments_add,
    completion_create,
    completion_mark_ground_truth,
    completion_skip,
    next_task_for,
    quality_settings_update,
)
from ml_backends.models import Prediction
from projects.models import Project
from tests.annotators.conftest import choice
from tests.conftest import client_for
from tests.factories import make_task

pytestmark = pytest.mark.django_db


def submit(user, task, value="Positive"):
    return completion_create(task=task, user=user, result=choice(value))


def label_all(user, project, value="Positive") -> list[int]:
    """Ask for tasks and submit until the queue is empty; the ids served, in order."""
    served = []
    while (task := next_task_for(user, project)) is not None:
        assert task.pk not in served, "served twice to the same annotator"
        served.append(task.pk)
        submit(user, task, value)
    return served


def test_overlap_gives_each_task_to_n_different_annotators(project, annotators):
    project.maximum_annotations = 2
    project.save()
    tasks = [make_task(project) for _ in range(3)]
    a, b, c = annotators
    ta, tb = next_task_for(a, project), next_task_for(b, project)
    assert ta == tb == tasks[0]  # overlap 2: two annotators may hold the first task
    assert next_task_for(c, project) == tasks[1]  # the third gets another one
    submit(a, ta), submit(b, tb)
    assert sorted(label_all(a, project) + label_all(b, project) + label_all(c, project)) == sorted(
        [tasks[1].pk] * 2 + [tasks[2].pk] * 2
    )
    for task in tasks:
        task.refresh_from_db()
        assert task.total_annotations == 2 and task.is_labeled


def test_per_task_overlap_overrides_the_project(project, annotators):
    task = make_task(project, overlap=3)
    for user in annotators:
        assert next_task_for(user, project) == task
    assert TaskLock.objects.filter(task=task).count() == 3


def test_never_served_twice_and_empty_queue_is_none(project, annotators):
    tasks = [make_task(project) for _ in range(4)]
    assert label_all(annotators[0], project) == [t.pk for t in tasks]  # sequential
    assert next_task_for(annotators[1], project) is None
    response = client_for(annotators[1]).get(f"/api/projects/{project.pk}/next")
    assert response.status_code == 404 and "no more tasks" in response.json()["detail"]


def test_lock_is_held_repeated_and_expires(project, annotators):
    t1, t2 = make_task(project), make_task(project)
    a, b = annotators[:2]
    assert next_task_for(a, project) == t1
    assert next_task_for(a, project) == t1  # asking again returns the held task
    assert TaskLock.objects.filter(user=a).count() == 1
    assert next_task_for(b, project) == t2  # overlap 1: t1 is taken while a holds it
    lock = TaskLock.objects.get(user=a)
    ttl = (lock.expire_at - timezone.now()).total_seconds()
    assert project.task_lock_ttl - 5 < ttl <= project.task_lock_ttl
    TaskLock.objects.filter(user=a).update(expire_at=timezone.now() - timedelta(seconds=1))
    c = annotators[2]
    assert next_task_for(c, project) == t1  # an expired lock frees the task
    assert next_task_for(b, project) == t2


def test_release_endpoint_gives_the_task_back(project, annotators):
    task = make_task(project)
    client = client_for(annotators[0])
    assert client.get(f"/api/projects/{project.pk}/next").json()["id"] == task.pk
    assert client.delete(f"/api/tasks/{task.pk}/lock").status_code == 204
    assert next_task_for(annotators[1], project) == task


def test_skip_requeues_for_others(project, annotators):
    t1, t2 = make_task(project), make_task(project)
    a, b = annotators[:2]
    assert next_task_for(a, project) == t1
    completion_skip(task=t1, user=a)
    assert not TaskLock.objects.filter(task=t1).exists()  # skipping releases the lock
    assert next_task_for(b, project) == t1  # someone else gets it
    assert next_task_for(a, project) == t2  # never back to the skipper
    submit(a, t2)
    assert next_task_for(a, project) is None


def test_skip_requeue_for_me_comes_back_last(project, annotators):
    project.skip_queue = Project.SkipQueue.REQUEUE_FOR_ME
    project.save()
    t1, t2 = make_task(project), make_task(project)
    a = annotators[0]
    completion_skip(task=next_task_for(a, project), user=a)
    assert next_task_for(a, project) == t2
    submit(a, t2)
    assert next_task_for(a, project) == t1  # the skipped task returns once nothing else is left
    completion = submit(a, t1)  # answering replaces the skip
    assert not completion.was_cancelled and completion.version == 2
    assert next_task_for(a, project) is None


def test_ignore_skipped_counts_a_skip_as_done(project, annotators):
    project.skip_queue = Project.SkipQueue.IGNORE_SKIPPED
    project.save()
    t1, t2 = make_task(project), make_task(project)
    assert next_task_for(annotators[0], project) == t1
    completion_skip(task=t1, user=annotators[0])
    assert next_task_for(annotators[1], project) == t2


def test_random_sampling_serves_everything_in_a_shuffled_order(project, annotators):
    project.sampling = Project.Sampling.RANDOM
    project.save()
    tasks = [make_task(project) for _ in range(30)]
    random.seed(7)
    served = label_all(annotators[0], project)
    assert sorted(served) == [t.pk for t in tasks]
    assert served != sorted(served)


def test_uncertainty_sampling_serves_lowest_score_first(project, annotators):
    project.sampling = Project.Sampling.UNCERTAINTY
    project.model_version = "v2"
    project.save()
    tasks = [make_task(project) for _ in range(5)]
    scores = [0.9, 0.1, 0.5, None, 0.3]
    for task, score in zip(tasks, scores, strict=True):
        if score is not None:
            Prediction.objects.create(task=task, project=project, model_version="v2", score=score, result=[])
            Prediction.objects.create(task=task, project=project, model_version="v1", score=1 - score, result=[])
    # a task's least sure current-version prediction counts: tasks[0] now ranks at 0.2
    Prediction.objects.create(task=tasks[0], project=project, model_version="v2", score=0.2, result=[])
    served = label_all(annotators[0], project)
    # v2 scores ascending (0.1, 0.2, 0.3, 0.5), then tasks without a prediction
    assert served == [tasks[1].pk, tasks[0].pk, tasks[4].pk, tasks[2].pk, tasks[3].pk]


def test_next_payload_has_current_model_predictions(project, annotators):
    project.model_version = "v2"
    project.save()
    task = make_task(project)
    Prediction.objects.create(task=task, project=project, model_version="v1", score=0.2, result=[])
    p2 = Prediction.objects.create(task=task, project=project, model_version="v2", score=0.4, result=[])
    payload = client_for(annotators[0]).get(f"/api/projects/{project.pk}/next").json()
    assert [p["id"] for p in payload["predictions"]] == [p2.pk]
    assert payload["data"] == task.data and payload["annotations"] == []


def test_breadth_first_finishes_started_tasks_first(project, annotators):
    project.sampling = Project.Sampling.BREADTH_FIRST
    project.maximum_annotations = 2
    project.save()
    t1, t2, t3 = (make_task(project) for _ in range(3))
    submit(annotators[0], t3)  # t3 is started
    assert next_task_for(annotators[1], project) == t3
    assert next_task_for(annotators[2], project) == t1


def test_assigned_tasks_only_go_to_their_annotators(project, annotators, manager):
    t1, t2, t3 = (make_task(project) for _ in range(3))
    a, b, _c = annotators
    assignments_add(project=project, users=[b], task_ids=[t3.pk], assigned_by=manager)
    assert next_task_for(b, project) == t3  # their assigned set comes first
    submit(b, t3)
    assert label_all(a, project) == [t1.pk, t2.pk]  # a never gets t3
    response = client_for(manager).get(f"/api/projects/{project.pk}/assignments/").json()
    assert [(r["task"], r["user"]) for r in response["results"]] == [(t3.pk, b.pk)]


def test_assignment_api(project, annotators, manager, outsider):
    t1 = make_task(project)
    client = client_for(manager)
    url = f"/api/projects/{project.pk}/assignments/"
    assert client.post(url, {"users": [annotators[0].pk], "tasks": [t1.pk]}, format="json").json() == {"added": 1}
    assert client.post(url, {"users": [annotators[0].pk], "tasks": [t1.pk]}, format="json").json() == {"added": 0}
    assert client.post(url, {"users": [outsider.pk], "tasks": [t1.pk]}, format="json").status_code == 400
    assert client.post(url, {"users": [annotators[0].pk], "tasks": [999999]}, format="json").status_code == 400
    assert client.delete(url, {"tasks": [t1.pk]}, format="json").json() == {"removed": 1}


def test_priority_tasks_come_first_higher_first(project, annotators):
    t1 = make_task(project)
    t2 = make_task(project, meta={"priority": 1})
    t3 = make_task(project, meta={"priority": 5})
    assert label_all(annotators[0], project) == [t3.pk, t2.pk, t1.pk]


def test_honeypots_are_mixed_in_and_scored(project, annotators, manager):
    quality_settings_update(project=project, user=manager, honeypot_share=0.5)
    truth = make_task(project)
    gt = submit(manager, truth, "Negative")
    completion_mark_ground_truth(completion=gt, user=manager, value=True)
    truth.refresh_from_db()
    assert truth.is_labeled  # overlap 1 reached, yet it is still served as a honeypot
    others = [make_task(project) for _ in range(4)]
    a, b = annotators[:2]
    served_a = label_all(a, project, "Negative")
    assert served_a[0] == truth.pk and sorted(served_a[1:]) == sorted(t.pk for t in others[:4])
    assert next_task_for(b, project) == truth
    submit(b, truth, "Positive")
    report = client_for(manager).get(f"/api/projects/{project.pk}/agreement/").json()
    assert report["accuracy"] == {str(a.pk): {"score": 1.0, "tasks": 1}, str(b.pk): {"score": 0.0, "tasks": 1}}
