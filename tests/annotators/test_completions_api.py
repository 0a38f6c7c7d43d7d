"""The completion API: create, validation, one per annotator, optimistic edits, delete, skip."""

import pytest

from annotators.models import Completion, Draft, TaskLock
from annotators.services import completion_create, next_task_for
from tasks.models import Task
from tests.annotators.conftest import choice
from tests.conftest import client_for
from tests.factories import make_task

pytestmark = pytest.mark.django_db


def post(client, task, **body):
    body.setdefault("result", choice("Positive"))
    return client.post(f"/api/tasks/{task.pk}/annotations/", body, format="json")


def test_submit_sets_author_counters_and_releases_lock_and_draft(project, annotators):
    task = make_task(project)
    user = annotators[0]
    assert next_task_for(user, project) == task
    Draft.objects.create(task=task, project=project, user=user, result=[])
    response = post(client_for(user), task, lead_time=4.5, completed_by=999)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["completed_by"] == user.pk and body["version"] == 1 and body["lead_time"] == 4.5
    assert response["ETag"] == '"1"'
    task.refresh_from_db()
    assert (task.total_annotations, task.is_labeled) == (1, True)
    assert not TaskLock.objects.filter(task=task).exists()
    assert not Draft.objects.filter(task=task, user=user).exists()


def test_invalid_result_is_400_naming_item_and_field(project, annotators):
    task = make_task(project)
    bad = choice("Positive") + [
        {"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Maybe"]}}
    ]
    response = post(client_for(annotators[0]), task, result=bad)
    assert response.status_code == 400
    body = response.json()
    assert body["index"] == 1 and body["field"] == "result[1].value.choices[0]"
    assert "Maybe" in body["detail"]
    response = post(client_for(annotators[0]), task, result={"not": "a list"})
    assert response.status_code == 400 and response.json()["field"] == "result"
    assert not Completion.objects.exists()


def test_second_submit_by_same_annotator_is_409(project, annotators):
    task = make_task(project)
    client = client_for(annotators[0])
    first = post(client, task).json()
    response = post(client, task, result=choice("Negative"))
    assert response.status_code == 409
    assert response.json()["id"] == first["id"] and response.json()["version"] == 1
    assert Completion.objects.get().result == choice("Positive")


def test_skip_then_answer_replaces_the_skip(project, annotators):
    task = make_task(project)
    client = client_for(annotators[0])
    skip = post(client, task, result=[], was_cancelled=True)
    assert skip.status_code == 201 and skip.json()["was_cancelled"]
    task.refresh_from_db()
    assert (task.cancelled_annotations, task.total_annotations) == (1, 0)
    answer = post(client, task)
    assert answer.status_code == 201
    assert answer.json()["id"] == skip.json()["id"] and answer.json()["version"] == 2
    task.refresh_from_db()
    assert (task.cancelled_annotations, task.total_annotations, task.is_labeled) == (0, 1, True)


def test_skip_refused_when_project_hides_the_skip_button(project, annotators):
    project.show_skip_button = False
    project.save()
    response = post(client_for(annotators[0]), make_task(project), result=[], was_cancelled=True)
    assert response.status_code == 400 and response.json()["field"] == "was_cancelled"


def test_optimistic_update(project, annotators):
    task = make_task(project)
    client = client_for(annotators[0])
    completion = post(client, task).json()
    url = f"/api/annotations/{completion['id']}/"
    ok = client.patch(url, {"result": choice("Negative"), "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2 and ok["ETag"] == '"2"'
    stale = client.patch(url, {"result": choice("Neutral"), "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["version"] == 2 and stale.json()["your_version"] == 1
    assert Completion.objects.get().result == choice("Negative")
    # If-Match works like the body field; PUT must send the full result
    via_header = client.patch(url, {"lead_time": 9}, format="json", HTTP_IF_MATCH='"2"')
    assert via_header.status_code == 200 and via_header.json()["version"] == 3
    assert client.put(url, {"lead_time": 1, "version": 3}, format="json").status_code == 400
    put = client.put(url, {"result": choice("Neutral"), "version": 3}, format="json")
    assert put.status_code == 200 and put.json()["result"] == choice("Neutral")
    bad = client.patch(url, {"result": [{"from_name": "nope"}], "version": 4}, format="json")
    assert bad.status_code == 400


def test_update_without_version_is_last_write_wins(project, annotators):
    """Label Studio's clients send no version: their writes go through, as in Label Studio; a
    client that opted in with a version still gets its 409 when someone wrote in between."""
    task = make_task(project)
    client = client_for(annotators[0])
    url = f"/api/annotations/{post(client, task).json()['id']}/"
    blind = client.patch(url, {"result": choice("Negative")}, format="json")
    assert blind.status_code == 200 and blind.json()["version"] == 2
    assert Completion.objects.get().result == choice("Negative")
    stale = client.patch(url, {"result": choice("Neutral"), "version": 1}, format="json")
    assert stale.status_code == 409 and Completion.objects.get().result == choice("Negative")
    assert client.put(url, {"result": choice("Neutral")}, format="json").json()["version"] == 3


def test_get_has_etag_and_delete_checks_version(project, annotators):
    task = make_task(project)
    client = client_for(annotators[0])
    completion = post(client, task).json()
    url = f"/api/annotations/{completion['id']}/"
    got = client.get(url)
    assert got.status_code == 200 and got["ETag"] == '"1"'
    assert client.delete(url, HTTP_IF_MATCH='"7"').status_code == 409
    assert client.delete(url).status_code == 204
    task.refresh_from_db()
    assert (task.total_annotations, task.is_labeled) == (0, False)
    assert client.get(url).status_code == 404


def test_annotator_cannot_submit_ground_truth_but_manager_can(project, annotators, manager):
    task = make_task(project)
    assert post(client_for(annotators[0]), task, ground_truth=True).status_code == 403
    response = post(client_for(manager), task, ground_truth=True)
    assert response.status_code == 201 and response.json()["ground_truth"]


def test_parent_prediction_must_belong_to_the_task(project, annotators):
    from ml_backends.models import Prediction

    task, other = make_task(project), make_task(project)
    prediction = Prediction.objects.create(task=other, project=project, result=[], model_version="v1")
    response = post(client_for(annotators[0]), task, parent_prediction=prediction.pk)
    assert response.status_code == 400 and response.json()["field"] == "parent_prediction"
    mine = Prediction.objects.create(task=task, project=project, result=[], model_version="v1")
    response = post(client_for(annotators[0]), task, parent_prediction=mine.pk)
    assert response.status_code == 201 and response.json()["parent_prediction"] == mine.pk


def test_task_annotation_list_and_paths_without_slash(project, annotators):
    task = make_task(project)
    client = client_for(annotators[0])
    assert (
        client.post(f"/api/tasks/{task.pk}/annotations", {"result": choice("Positive")}, format="json").status_code
        == 201
    )
    listed = client.get(f"/api/tasks/{task.pk}/annotations")
    assert listed.status_code == 200 and len(listed.json()) == 1


def test_ml_hook_is_told_about_each_event(project, annotators, manager, django_capture_on_commit_callbacks):
    """Each completion event is one callback on commit (labelstudio/core/events.py), which asks
    the guards of its subscribers (ML backends, webhooks) in one statement: with an ML backend
    connected, the ML subscriber sends one message (ml_backends.completion_events); without one
    and without webhooks, nothing is sent."""
    from annotators.services import completion_delete, completion_update
    from ml_backends.models import MLBackend

    task = make_task(project)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        completion = completion_create(task=task, user=annotators[0], result=choice("Positive"))
    assert len(callbacks) == 1  # the event's delivery; nobody listens: it sent nothing (no callback of its own)
    MLBackend.objects.create(project=project, url="http://127.0.0.1:9/")
    with django_capture_on_commit_callbacks() as callbacks:
        completion = completion_update(completion=completion, user=annotators[0], version=1, lead_time=3)
        completion_delete(completion=completion, user=annotators[0])
    assert len(callbacks) == 2  # two events, one delivery each
    with django_capture_on_commit_callbacks() as sent:  # the ML subscriber's message, sent after commit
        callbacks[1]()
    assert len(sent) == 1
    assert Task.objects.get(pk=task.pk).total_annotations == 0


def test_drafts_autosave_privately(project, annotators):
    task = make_task(project)
    me, other = client_for(annotators[0]), client_for(annotators[1])
    first = me.post(f"/api/tasks/{task.pk}/drafts", {"result": choice("Positive"), "lead_time": 2}, format="json")
    assert first.status_code == 201
    again = me.post(f"/api/tasks/{task.pk}/drafts", {"result": choice("Negative")}, format="json")
    assert again.json()["id"] == first.json()["id"] and again.json()["result"] == choice("Negative")
    assert Draft.objects.count() == 1
    draft_url = f"/api/drafts/{first.json()['id']}/"
    assert other.get(draft_url).status_code == 404
    assert other.get(f"/api/tasks/{task.pk}/drafts").json() == []
    assert len(me.get("/api/drafts/").json()["results"]) == 1
    assert me.patch(draft_url, {"result": []}, format="json").json()["result"] == []
    # the next-task payload carries the draft; submitting deletes it
    payload = me.get(f"/api/projects/{project.pk}/next").json()
    assert payload["id"] == task.pk and payload["drafts"][0]["id"] == first.json()["id"]
    post(me, task, draft_id=first.json()["id"])
    assert not Draft.objects.exists()


def test_fast_json_matches_the_serializers(project, annotators, manager):
    from annotators.serializers import CompletionSerializer, completion_json, task_json
    from annotators.services import completion_review
    from tasks.serializers import TaskSerializer

    task = make_task(project, meta={"a": 1}, overlap=2)
    completion = completion_create(task=task, user=annotators[0], result=choice("Positive"), lead_time=2)
    completion_review(completion=completion, reviewer=manager, action="reject", comment="why")
    completion.refresh_from_db()
    assert completion_json(completion) == CompletionSerializer(completion).data
    task.refresh_from_db()
    assert task_json(task) == TaskSerializer(task).data
