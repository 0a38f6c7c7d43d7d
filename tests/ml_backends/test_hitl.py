"""Human in the loop, end to end through the API (docs/human-in-the-loop.md): an application posts
a task with its model's prediction; a low score sends it to the front of the annotators' queue with
the prediction as a pre-annotation; the corrected completion goes back to the application by webhook."""

import pytest
import requests

from projects.services import membership_set
from tasks.models import Task
from tests.conftest import client_for
from tests.factories import make_task, make_user

pytestmark = pytest.mark.live


def choice(label):
    return [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [label]}}]


def test_low_confidence_predictions_are_corrected_by_people_and_sent_back(
    servers, loopback, api, project, django_capture_on_commit_callbacks
):
    app_url = servers.flaky()  # stands in for the application's HTTP endpoint
    # the project manager sets it up once
    response = api.patch(f"/api/projects/{project.pk}/ml-settings", {"hitl_score_threshold": 0.6}, format="json")
    assert response.status_code == 200
    hook = {
        "project": project.pk,
        "url": app_url + "/hook/corrections",
        "actions": ["ANNOTATION_CREATED"],
        "headers": {"Authorization": "Bearer app-token"},
    }
    assert api.post("/api/webhooks/", hook, format="json").status_code == 201
    for _ in range(3):  # work already in the queue, ahead in sequential order
        make_task(project)

    # the application posts tasks with its model's predictions (a project manager's API token)
    posted = {}
    for text, label, score in (("sure thing", "Positive", 0.95), ("hmm, not sure", "Positive", 0.3)):
        response = api.post("/api/tasks/", {"project": project.pk, "data": {"text": text}}, format="json")
        assert response.status_code == 201, response.json()
        task_id = response.json()["id"]
        response = api.post(
            "/api/predictions/",
            {"task": task_id, "result": choice(label), "score": score, "model_version": "app-model-7"},
            format="json",
        )
        assert response.status_code == 201, response.json()
        posted[text] = (task_id, response.json()["id"])
    unsure_task, unsure_prediction = posted["hmm, not sure"]
    assert Task.objects.get(pk=unsure_task).meta == {"priority": 1}  # to the front of the queue

    # an annotator asks for work: the unsure task comes first, with the prediction to correct
    annotator = make_user("annotator")
    membership_set(project=project, user=annotator, role="annotator")
    person = client_for(annotator)
    response = person.get(f"/api/projects/{project.pk}/next")
    assert response.status_code == 200 and response.json()["id"] == unsure_task
    predictions = person.get(f"/api/tasks/{unsure_task}/predictions").json()
    assert [(p["id"], p["score"]) for p in predictions] == [(unsure_prediction, 0.3)]

    # they correct it; the application receives the corrected completion
    with django_capture_on_commit_callbacks(execute=True):
        response = person.post(
            f"/api/tasks/{unsure_task}/annotations/",
            {"result": choice("Negative"), "parent_prediction": unsure_prediction},
            format="json",
        )
    assert response.status_code == 201, response.json()
    (delivery,) = [r for r in requests.get(app_url + "/_requests", timeout=5).json() if r["path"].startswith("/hook")]
    assert delivery["authorization"] == "Bearer app-token"
    body = delivery["body"]
    assert body["action"] == "ANNOTATION_CREATED" and body["task"]["id"] == unsure_task
    assert body["task"]["data"] == {"text": "hmm, not sure"} and body["task"]["meta"]["priority"] == 1
    assert body["annotation"]["result"] == choice("Negative")
    assert body["annotation"]["parent_prediction"] == unsure_prediction
    assert body["annotation"]["completed_by"] == annotator.pk
    assert Task.objects.get(pk=unsure_task).is_labeled  # labeled now
