"""Concurrency with real threads, each with its own database connection (PostgreSQL row locks; on
SQLite the same tests run against IMMEDIATE transactions): no task is
handed out beyond its overlap, no lock is lost, one completion per annotator and task, and
concurrent edits of one version get exactly one success and 409s."""

import threading
from collections import Counter, defaultdict

import pytest
from django.db import connection
from rest_framework.test import APIClient

from annotators.models import Completion, TaskLock
from annotators.services import completion_create, next_task_for
from projects.models import Membership
from projects.services import membership_set
from tests import factories
from tests.annotators.conftest import choice

pytestmark = pytest.mark.django_db(transaction=True)


def run_threads(n: int, target) -> list:
    """Start n threads on a barrier; each runs target(i) with its own connection. Returns results."""
    barrier = threading.Barrier(n)
    results: list = [None] * n
    errors: list = []

    def body(i):
        try:
            barrier.wait()
            results[i] = target(i)
        except Exception as exc:  # surfaced in the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=body, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return results


def make_team(n: int, overlap: int, tasks: int):
    manager = factories.make_user("manager")
    project = factories.make_project(created_by=manager, maximum_annotations=overlap)
    users = [factories.make_user("ann") for _ in range(n)]
    for user in users:
        membership_set(project=project, user=user, role=Membership.Role.ANNOTATOR)
    task_list = [factories.make_task(project) for _ in range(tasks)]
    return project, users, task_list


@pytest.mark.parametrize("overlap", [1, 3])
def test_sixteen_annotators_never_exceed_overlap(overlap):
    project, users, tasks = make_team(16, overlap, 24)
    served: dict[int, list[int]] = defaultdict(list)

    def label(i):
        user = users[i]
        while (task := next_task_for(user, project)) is not None:
            served[user.pk].append(task.pk)
            completion_create(task=task, user=user, result=choice("Positive"))

    run_threads(16, label)
    for user_tasks in served.values():
        assert len(user_tasks) == len(set(user_tasks)), "a task was served twice to one annotator"
    handed_out = Counter(t for user_tasks in served.values() for t in user_tasks)
    assert handed_out == {t.pk: overlap for t in tasks}  # every task exactly `overlap` times, never more
    per_task = Counter(Completion.objects.filter(project=project).values_list("task_id", flat=True))
    assert per_task == {t.pk: overlap for t in tasks}
    assert not TaskLock.objects.exists()  # every lock released on submit


def test_burst_of_next_requests_hands_out_distinct_locked_tasks():
    project, users, tasks = make_team(16, 1, 10)
    got = run_threads(16, lambda i: getattr(next_task_for(users[i], project), "pk", None))
    handed = [t for t in got if t is not None]
    assert len(handed) == 10 and len(set(handed)) == 10  # all tasks out, none twice
    locks = list(TaskLock.objects.values_list("user_id", "task_id"))
    assert sorted(locks) == sorted((users[i].pk, t) for i, t in enumerate(got) if t is not None)  # no lock lost


def test_same_request_twice_from_one_user_returns_one_task():
    project, users, tasks = make_team(1, 1, 5)
    got = run_threads(6, lambda i: next_task_for(users[0], project).pk)
    assert len(set(got)) == 1
    assert TaskLock.objects.filter(user=users[0]).count() == 1


def test_duplicate_submits_get_one_completion_and_409s():
    project, users, tasks = make_team(1, 1, 1)

    def post(i):
        client = APIClient()
        client.force_authenticate(users[0])
        return client.post(
            f"/api/tasks/{tasks[0].pk}/annotations/", {"result": choice("Positive")}, format="json"
        ).status_code

    codes = run_threads(8, post)
    assert sorted(codes) == [201] + [409] * 7
    assert Completion.objects.count() == 1
    tasks[0].refresh_from_db()
    assert tasks[0].total_annotations == 1


def test_concurrent_edits_of_one_version_one_wins_rest_409():
    project, users, tasks = make_team(1, 1, 1)
    completion = completion_create(task=tasks[0], user=users[0], result=choice("Positive"))
    values = ["Positive", "Negative", "Neutral"] * 3

    def patch(i):
        client = APIClient()
        client.force_authenticate(users[0])
        response = client.patch(
            f"/api/annotations/{completion.pk}/", {"result": choice(values[i]), "version": 1}, format="json"
        )
        return response.status_code, response.json()

    outcomes = run_threads(9, patch)
    codes = sorted(code for code, _ in outcomes)
    assert codes == [200] + [409] * 8
    assert all(body["version"] == 2 for code, body in outcomes if code == 409)  # the 409 says what is current
    winner = next(body for code, body in outcomes if code == 200)
    completion.refresh_from_db()
    assert completion.version == 2 and completion.result == winner["result"]


def test_concurrent_ground_truth_marks_leave_one_truth():
    project, users, tasks = make_team(4, 4, 1)
    manager = project.created_by
    completions = [completion_create(task=tasks[0], user=u, result=choice("Positive")) for u in users]

    def mark(i):
        client = APIClient()
        client.force_authenticate(manager)
        return client.post(
            f"/api/annotations/{completions[i].pk}/ground-truth", {"value": True}, format="json"
        ).status_code

    assert run_threads(4, mark) == [200] * 4
    assert Completion.objects.filter(ground_truth=True).count() == 1
