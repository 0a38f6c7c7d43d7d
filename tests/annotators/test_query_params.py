"""Query parameters of the annotators API (annotators/filters.py): what each filters, junk ids
ignored as they always were, and a bad value a 400 naming the parameter."""

import pytest

from annotators.models import Completion, Draft
from annotators.services import assignments_add, completion_create, completion_review
from tests.annotators.conftest import choice
from tests.conftest import client_for
from tests.factories import make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(project, manager, annotators):
    tasks = [make_task(project) for _ in range(3)]
    done = [completion_create(task=t, user=annotators[i], result=choice("Positive")) for i, t in enumerate(tasks)]
    Completion.objects.filter(pk=done[0].pk).update(review_status=Completion.Review.ACCEPTED)
    Completion.objects.filter(pk=done[1].pk).update(ground_truth=True)
    return tasks, done


def _ids(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    return [row["id"] for row in (body["results"] if isinstance(body, dict) else body)]


def test_project_completion_filters(project, manager, work):
    tasks, done = work
    client, url = client_for(manager), f"/api/projects/{project.pk}/annotations/"
    everything = [c.pk for c in done]
    assert _ids(client, url) == everything
    assert _ids(client, url + "?review=accepted") == [done[0].pk]
    assert _ids(client, url + "?review_status=pending") == [done[1].pk, done[2].pk]
    assert _ids(client, url + "?review=accepted&review_status=bogus") == [done[0].pk]  # review wins
    assert _ids(client, url + "?ground_truth=1") == [done[1].pk]
    assert _ids(client, url + "?ground_truth=0") == everything  # only 1/true filter
    assert _ids(client, url + f"?completed_by={done[2].completed_by_id}") == [done[2].pk]
    assert _ids(client, url + f"?task={tasks[1].pk}") == [done[1].pk]
    assert _ids(client, url + "?task=abc&completed_by=-1") == everything  # junk ids: no filter
    for param in ("review", "review_status"):
        refused = client.get(f"{url}?{param}=bogus")
        assert refused.status_code == 400
        assert refused.json() == {
            "detail": "review must be one of pending, accepted, rejected, fixed, reviewed",
            "field": param,
        }


def test_review_queue_status(project, manager, work):
    client, url = client_for(manager), f"/api/projects/{project.pk}/review-queue"
    assert len(_ids(client, url)) == 2  # pending by default
    assert len(_ids(client, url + "?status=accepted")) == 1
    refused = client.get(url + "?status=bogus")
    assert refused.status_code == 400 and refused.json()["field"] == "status"
    assert refused.json()["detail"].startswith("status must be one of pending")


@pytest.mark.parametrize(
    ("query", "field", "detail"),
    [
        ("days=0", "days", "days must be an integer from 1 to 3660"),
        ("days=", "days", "days must be an integer from 1 to 3660"),
        ("days=7&max_tasks=x", "max_tasks", "max_tasks must be an integer from 1 to 50000"),
        ("days=x&max_tasks=x", "days", "days must be an integer from 1 to 3660"),  # in order
    ],
)
def test_stats_parameters_are_checked(project, manager, query, field, detail):
    refused = client_for(manager).get(f"/api/projects/{project.pk}/stats/?{query}")
    assert refused.status_code == 400 and refused.json() == {"detail": detail, "field": field}


def test_stats_and_agreement_take_their_options(project, manager, work):
    client = client_for(manager)
    assert client.get(f"/api/projects/{project.pk}/stats/?days=7&max_tasks=10").status_code == 200
    assert client.get(f"/api/projects/{project.pk}/agreement/?max_tasks=10").status_code == 200
    refused = client.get(f"/api/projects/{project.pk}/agreement/?max_tasks=50001")
    assert refused.status_code == 400 and refused.json()["field"] == "max_tasks"


def test_assignments_user_and_drafts_project(project, manager, annotators, work):
    tasks, _ = work
    assignments_add(project=project, users=annotators[:2], task_ids=[tasks[0].pk], assigned_by=manager)
    client, url = client_for(manager), f"/api/projects/{project.pk}/assignments/"
    assert len(_ids(client, url)) == 2
    assert len(_ids(client, url + f"?user={annotators[0].pk}")) == 1
    assert len(_ids(client, url + "?user=x")) == 2
    Draft.objects.create(task=tasks[0], project=project, user=annotators[0], result=[])
    mine = client_for(annotators[0])
    assert len(_ids(mine, f"/api/drafts/?project={project.pk}")) == 1
    assert _ids(mine, f"/api/drafts/?project={project.pk + 1000}") == []
    assert len(_ids(mine, "/api/drafts/?project=x")) == 1


def test_next_task_defers_the_listed_rejected_tasks(project, manager, annotators):
    """Rejected work comes back to its author first, except the tasks in ``defer``."""
    tasks = [make_task(project) for _ in range(2)]
    for task in tasks:
        done = completion_create(task=task, user=annotators[0], result=choice("Positive"))
        completion_review(completion=done, reviewer=manager, action="reject", comment="fix it")
    client, url = client_for(annotators[0]), f"/api/projects/{project.pk}/next"
    first = client.get(url).json()["id"]
    client.delete(f"/api/tasks/{first}/lock")
    other = client.get(f"{url}?defer={first},x,²").json()["id"]
    assert {first, other} == {t.pk for t in tasks}
