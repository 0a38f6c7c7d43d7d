"""Each role through the API: who reads, writes, reviews and sees statistics; non-members get 404."""

import pytest

from annotators.services import completion_create
from tests.annotators.conftest import choice
from tests.conftest import client_for
from tests.factories import make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(project, annotators):
    """Two annotators' completions on one task."""
    task = make_task(project)
    a = completion_create(task=task, user=annotators[0], result=choice("Positive"))
    b = completion_create(task=task, user=annotators[1], result=choice("Negative"))
    return task, a, b


def test_annotator_cannot_read_anothers_completion(project, annotators, work):
    task, a, b = work
    client = client_for(annotators[0])
    assert client.get(f"/api/annotations/{a.pk}/").status_code == 200
    assert client.get(f"/api/annotations/{b.pk}/").status_code == 404
    assert [c["id"] for c in client.get(f"/api/tasks/{task.pk}/annotations/").json()] == [a.pk]
    listed = client.get(f"/api/projects/{project.pk}/annotations/").json()["results"]
    assert [c["id"] for c in listed] == [a.pk]
    assert client.patch(f"/api/annotations/{b.pk}/", {"version": 1, "lead_time": 1}, format="json").status_code == 404
    assert client.delete(f"/api/annotations/{b.pk}/").status_code == 404


def test_annotators_see_all_lets_them_read_but_not_edit(project, annotators, work):
    task, a, b = work
    project.annotators_see_all = True
    project.save()
    client = client_for(annotators[0])
    assert client.get(f"/api/annotations/{b.pk}/").status_code == 200
    assert len(client.get(f"/api/tasks/{task.pk}/annotations/").json()) == 2
    assert client.patch(f"/api/annotations/{b.pk}/", {"version": 1, "lead_time": 1}, format="json").status_code == 403
    assert client.delete(f"/api/annotations/{b.pk}/").status_code == 403


def test_reviewer_and_manager_see_everything(project, reviewer, manager, work):
    task, a, b = work
    for user in (reviewer, manager):
        assert len(client_for(user).get(f"/api/tasks/{task.pk}/annotations/").json()) == 2
        assert client_for(user).get(f"/api/annotations/{b.pk}/").status_code == 200


def test_non_member_gets_404_everywhere(project, outsider, work):
    task, a, b = work
    client = client_for(outsider)
    pid = project.pk
    gets = [
        f"/api/tasks/{task.pk}/annotations/",
        f"/api/annotations/{a.pk}/",
        f"/api/projects/{pid}/next",
        f"/api/projects/{pid}/review-queue",
        f"/api/projects/{pid}/stats/",
        f"/api/projects/{pid}/agreement/",
        f"/api/projects/{pid}/assignments/",
        f"/api/projects/{pid}/annotations/",
        f"/api/tasks/{task.pk}/drafts",
        f"/api/projects/{pid}/quality-settings/",
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        (f"/api/tasks/{task.pk}/annotations/", {"result": choice("Positive")}),
        (f"/api/annotations/{a.pk}/review", {"action": "accept"}),
        (f"/api/annotations/{a.pk}/ground-truth", {"value": True}),
        (f"/api/tasks/{task.pk}/drafts", {"result": []}),
        (f"/api/projects/{pid}/assignments/", {"users": [outsider.pk], "tasks": [task.pk]}),
    ]
    for url, body in posts:
        assert client.post(url, body, format="json").status_code == 404, url


def test_annotator_cannot_review_mark_truth_or_see_stats(project, annotators, work):
    task, a, b = work
    project.annotators_see_all = True
    project.save()
    client = client_for(annotators[0])
    assert client.post(f"/api/annotations/{b.pk}/review", {"action": "accept"}, format="json").status_code == 403
    assert client.post(f"/api/annotations/{b.pk}/ground-truth", {"value": True}, format="json").status_code == 403
    for url in ("stats/", "agreement/", "assignments/"):
        assert client.get(f"/api/projects/{project.pk}/{url}").status_code == 403, url
    assert (
        client.patch(
            f"/api/projects/{project.pk}/quality-settings/", {"honeypot_share": 0.5}, format="json"
        ).status_code
        == 403
    )


def test_reviewer_reviews_and_marks_truth_but_not_own_work_or_assignments(project, reviewer, work):
    task, a, b = work
    client = client_for(reviewer)
    assert client.post(f"/api/annotations/{a.pk}/review", {"action": "accept"}, format="json").status_code == 200
    assert client.post(f"/api/annotations/{b.pk}/ground-truth", {"value": True}, format="json").status_code == 200
    own = completion_create(task=task, user=reviewer, result=choice("Neutral"))
    assert client.post(f"/api/annotations/{own.pk}/review", {"action": "accept"}, format="json").status_code == 403
    assert client.get(f"/api/projects/{project.pk}/stats/").status_code == 200
    assert client.get(f"/api/projects/{project.pk}/assignments/").status_code == 403
    assert (
        client.post(
            f"/api/projects/{project.pk}/assignments/", {"users": [reviewer.pk], "tasks": [task.pk]}, format="json"
        ).status_code
        == 403
    )


def test_only_author_or_manager_deletes(project, annotators, reviewer, manager, work):
    task, a, b = work
    assert client_for(reviewer).delete(f"/api/annotations/{a.pk}/").status_code == 403
    assert client_for(manager).delete(f"/api/annotations/{a.pk}/").status_code == 204
    assert client_for(annotators[1]).delete(f"/api/annotations/{b.pk}/").status_code == 204


def test_reviewer_may_edit_any_completion(project, reviewer, work):
    task, a, b = work
    response = client_for(reviewer).patch(
        f"/api/annotations/{a.pk}/", {"result": choice("Neutral"), "version": 1}, format="json"
    )
    assert response.status_code == 200 and response.json()["completed_by"] == a.completed_by_id
