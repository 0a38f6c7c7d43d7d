"""The review loop through the API and the queue: rejected work comes back to its author first,
resubmitting sends it back to review, the history records every step; and the lock endpoints
(heartbeat, beacon release with CSRF, "N tasks are being labeled by others")."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from annotators.models import Completion, ReviewEvent, TaskLock
from annotators.services import completion_create, completion_review, next_task_for
from tests.annotators.conftest import choice
from tests.conftest import client_for
from tests.factories import make_task, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(project):
    return [make_task(project, {"text": f"t{i}"}) for i in range(3)]


def test_rejected_completion_comes_back_first_then_resubmit_returns_it_to_review(project, reviewer, annotators, tasks):
    author = annotators[0]
    first = completion_create(task=tasks[0], user=author, result=choice("Positive"))
    assert next_task_for(author, project).pk == tasks[1].pk  # the author now holds task 1
    completion_review(completion=first, reviewer=reviewer, action="reject", comment="it is negative")

    body = client_for(author).get(f"/api/projects/{project.pk}/next").json()
    assert body["id"] == tasks[0].pk and body["rejected"] is True
    assert body["annotations"][0]["review_comment"] == "it is negative"
    # put off for now: the normal queue (the held task) continues
    assert (
        client_for(author).get(f"/api/projects/{project.pk}/next", {"defer": tasks[0].pk}).json()["id"] == tasks[1].pk
    )
    # another annotator never gets someone else's rejected task
    assert next_task_for(annotators[1], project).pk != tasks[0].pk

    version = Completion.objects.get(pk=first.pk).version
    response = client_for(author).patch(
        f"/api/annotations/{first.pk}/", {"result": choice("Negative"), "version": version}, format="json"
    )
    assert response.status_code == 200 and response.json()["review_status"] == ""
    queue = client_for(reviewer).get(f"/api/projects/{project.pk}/review-queue").json()["results"]
    assert [c["id"] for c in queue] == [first.pk]
    assert next_task_for(author, project).pk == tasks[1].pk  # no longer comes first

    first.refresh_from_db()
    _, correction = completion_review(
        completion=first, reviewer=reviewer, action="correct", result=choice("Neutral"), version=first.version
    )
    history = client_for(reviewer).get(f"/api/annotations/{first.pk}/history").json()
    assert [(h["action"], h["result"][0]["value"]["choices"][0]) for h in history] == [
        ("submitted", "Positive"),
        ("rejected", "Positive"),
        ("resubmitted", "Negative"),
        ("corrected", "Neutral"),
    ]
    assert history[1]["comment"] == "it is negative" and history[3]["correction"] == correction.pk
    assert ReviewEvent.objects.filter(completion=first).count() == 3
    # the author reads their own history; another annotator does not see the completion at all
    assert client_for(author).get(f"/api/annotations/{first.pk}/history").status_code == 200
    assert client_for(annotators[1]).get(f"/api/annotations/{first.pk}/history").status_code == 404


def test_only_locked_tasks_left_says_how_many_others_hold(project, annotators):
    project.maximum_annotations = 1
    project.save()
    make_task(project)
    held = next_task_for(annotators[0], project)
    assert held is not None
    response = client_for(annotators[1]).get(f"/api/projects/{project.pk}/next")
    assert response.status_code == 404
    body = response.json()
    assert body["locked_by_others"] == 1 and body["detail"] == "1 task is being labeled by others right now"
    assert response["Retry-After"]
    # once the holder leaves, it is free again
    client_for(annotators[0]).delete(f"/api/tasks/{held.pk}/lock")
    assert client_for(annotators[1]).get(f"/api/projects/{project.pk}/next").json()["id"] == held.pk
    # when everything is done, the message says so
    completion_create(task=held, user=annotators[1], result=choice("Positive"))
    body = client_for(annotators[2]).get(f"/api/projects/{project.pk}/next").json()
    assert body["locked_by_others"] == 0 and "no more tasks" in body["detail"]


def test_heartbeat_keeps_the_lock_and_retakes_it_only_while_the_task_has_room(project, annotators):
    project.task_lock_ttl = 60
    project.maximum_annotations = 1
    project.save()
    a, b = annotators[0], annotators[1]
    task = make_task(project)
    assert next_task_for(a, project).pk == task.pk
    lock = TaskLock.objects.get(task=task, user=a)
    TaskLock.objects.filter(pk=lock.pk).update(expire_at=timezone.now() + timedelta(seconds=5))
    response = client_for(a).post(f"/api/tasks/{task.pk}/lock")
    assert response.status_code == 200 and response.json() == {"locked": True, "ttl": 60}
    assert TaskLock.objects.get(pk=lock.pk).expire_at > timezone.now() + timedelta(seconds=50)
    # someone else's page on the same task cannot take it while A holds it
    assert client_for(b).post(f"/api/tasks/{task.pk}/lock").status_code == 409
    # A's page was reloaded (the lock went on pagehide): the page takes it again
    client_for(a).post(f"/api/tasks/{task.pk}/lock/release")
    assert client_for(a).post(f"/api/tasks/{task.pk}/lock").status_code == 200
    # A's lock lapsed and B took the task: A's late heartbeat does not take it back
    TaskLock.objects.filter(task=task, user=a).update(expire_at=timezone.now() - timedelta(seconds=1))
    assert next_task_for(b, project).pk == task.pk
    assert client_for(a).post(f"/api/tasks/{task.pk}/lock").status_code == 409
    assert list(TaskLock.objects.filter(task=task, expire_at__gt=timezone.now()).values_list("user", flat=True)) == [
        b.pk
    ]
    # nor after B answered it
    completion_create(task=task, user=b, result=choice("Positive"))
    assert client_for(a).post(f"/api/tasks/{task.pk}/lock").status_code == 409
    assert client_for(b).post(f"/api/tasks/{task.pk}/lock").status_code == 409


def test_beacon_release_needs_the_session_csrf_token(project, annotators):
    task = make_task(project)
    user = annotators[0]
    assert next_task_for(user, project).pk == task.pk
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    page = browser.get(f"/projects/{project.pk}/label/")  # sets the csrftoken cookie, as the page does
    token = page.cookies["csrftoken"].value
    url = f"/api/tasks/{task.pk}/lock/release"
    assert browser.post(url, {}).status_code == 403  # a cross-site form post cannot release it
    assert TaskLock.objects.filter(task=task, user=user).exists()
    assert browser.post(url, {"csrfmiddlewaretoken": token}).status_code == 204  # what sendBeacon sends
    assert not TaskLock.objects.filter(task=task, user=user).exists()
    assert Client().post(url, {}).status_code in (401, 403)  # anonymous


def test_admin_shows_the_review_history(project, reviewer, annotators, tasks):
    completion = completion_create(task=tasks[0], user=annotators[0], result=choice("Positive"))
    completion_review(completion=completion, reviewer=reviewer, action="reject", comment="look again")
    admin = Client()
    admin.force_login(make_user("root", is_staff=True, is_superuser=True))
    page = admin.get(f"/admin/annotators/completion/{completion.pk}/change/")
    assert page.status_code == 200
    assert "look again" in page.content.decode() and "rejected" in page.content.decode()
