"""Outgoing webhooks: registration (managers only, URLs checked), delivery by the worker with the
webhook's headers, event filters, payload on/off, retries, and the check repeated at delivery."""

import pytest
import requests

from annotators.services import completion_create
from labelstudio.core.events import TASKS_CREATED
from labelstudio.webhooks.models import Webhook
from labelstudio.webhooks.services import webhook_create, webhooks_emit
from ml_backends import services
from projects.services import membership_set
from tests.conftest import client_for
from tests.factories import make_task, make_user
from tests.ml_backends.test_prelabel import run_prelabel

pytestmark = pytest.mark.live


def choice(label):
    return [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [label]}}]


def received(url):
    return [r for r in requests.get(url + "/_requests", timeout=5).json() if r["path"].startswith("/hook")]


def test_register_webhooks_through_the_api(servers, loopback, api, project, settings):
    url = servers.flaky() + "/hook/"
    body = {"project": project.pk, "url": url, "actions": ["ANNOTATION_CREATED"], "headers": {"X-Secret": "s"}}
    response = api.post("/api/webhooks/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["actions"] == ["ANNOTATION_CREATED"] and data["send_for_all_actions"] is False
    assert len(api.get(f"/api/webhooks?project={project.pk}").json()) == 1
    response = api.patch(f"/api/webhooks/{data['id']}", {"actions": []}, format="json")
    assert response.json()["send_for_all_actions"] is True

    response = api.post("/api/webhooks/", {**body, "actions": ["NOT_AN_EVENT"]}, format="json")
    assert response.status_code == 400 and "NOT_AN_EVENT" in response.json()["detail"]
    settings.ALLOW_LOOPBACK_URLS = False
    response = api.post("/api/webhooks/", body, format="json")
    assert response.status_code == 400 and "loopback" in response.json()["detail"]

    annotator, outsider = make_user("annotator"), make_user("outsider")
    membership_set(project=project, user=annotator, role="annotator")
    member_api, stranger = client_for(annotator), client_for(outsider)
    assert member_api.get("/api/webhooks/").json() == []  # headers hold secrets
    assert member_api.post("/api/webhooks/", body, format="json").status_code == 403
    assert member_api.get(f"/api/webhooks/{data['id']}").status_code == 404
    assert stranger.post("/api/webhooks/", body, format="json").status_code == 404
    assert api.delete(f"/api/webhooks/{data['id']}").status_code == 204


def test_completion_events_are_delivered_with_headers_filters_and_payload_choice(
    servers, loopback, project, manager, django_capture_on_commit_callbacks
):
    base = servers.flaky()
    full = webhook_create(project=project, url=base + "/hook/full", headers={"X-Secret": "s3"})
    webhook_create(project=project, url=base + "/hook/bare", send_payload=False)
    webhook_create(project=project, url=base + "/hook/updates", events=["ANNOTATION_UPDATED"])
    webhook_create(project=project, url=base + "/hook/off", is_active=False)
    task = make_task(project)
    with django_capture_on_commit_callbacks(execute=True):
        completion = completion_create(task=task, user=manager, result=choice("Positive"))

    got = {r["path"]: r for r in received(base)}
    assert set(got) == {"/hook/full", "/hook/bare"}
    body = got["/hook/full"]["body"]
    assert body["action"] == "ANNOTATION_CREATED" and body["annotation"]["id"] == completion.pk
    assert body["annotation"]["result"] == choice("Positive") and body["task"]["id"] == task.pk
    assert body["project"]["id"] == project.pk and got["/hook/full"]["headers"]["x-secret"] == "s3"
    assert got["/hook/bare"]["body"] == {"action": "ANNOTATION_CREATED", "project": {"id": project.pk}}
    full.refresh_from_db()
    assert full.last_status == "ok" and full.last_delivered_at is not None


def test_job_finished_and_other_apps_events(servers, loopback, project, django_capture_on_commit_callbacks):
    base = servers.flaky()
    webhook_create(project=project, url=base + "/hook", events=["JOB_FINISHED", TASKS_CREATED])
    backend = services.ml_backend_create(project=project, url=base)
    make_task(project)
    job = run_prelabel(django_capture_on_commit_callbacks, backend=backend)
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks_emit(project_id=project.pk, event=TASKS_CREATED, payload={"tasks": [{"id": 1}]}) == 1
    bodies = [r["body"] for r in received(base)]
    assert bodies[0]["action"] == "JOB_FINISHED" and bodies[0]["job"]["id"] == job.pk
    assert bodies[0]["job"]["status"] == "succeeded" and bodies[0]["job"]["kind"] == "prelabel"
    assert bodies[1] == {"action": TASKS_CREATED, "tasks": [{"id": 1}]}


def test_project_and_task_events_are_emitted_by_the_services(
    servers, loopback, project, django_capture_on_commit_callbacks
):
    """PROJECT_UPDATED, TASKS_CREATED, TASKS_UPDATED and TASKS_DELETED reach webhooks from the
    services that write (through labelstudio/core/events.py), once each and only after commit."""
    from django.db import transaction

    from projects.services import project_update
    from tasks.services import task_create, task_update, tasks_delete

    base = servers.flaky()
    events = ["PROJECT_UPDATED", TASKS_CREATED, "TASKS_UPDATED", "TASKS_DELETED"]
    webhook_create(project=project, url=base + "/hook", events=events)
    with django_capture_on_commit_callbacks(execute=True):
        project_update(project=project, title="Renamed")
        task = task_create(project=project, data={"text": "a"})
        task_update(task=task, data={"text": "a2"})
        tasks_delete(project=project, task_ids=[task.pk])
        with transaction.atomic():  # rolled back: nothing is sent
            task_create(project=project, data={"text": "b"})
            transaction.set_rollback(True)
    bodies = [r["body"] for r in received(base)]
    assert [b["action"] for b in bodies] == events
    assert bodies[0]["project"]["title"] == "Renamed" and bodies[0]["project"]["id"] == project.pk
    assert bodies[1]["tasks"] == bodies[2]["tasks"] == bodies[3]["tasks"] == [{"id": task.pk}]
    assert bodies[2]["project"] == {"id": project.pk}


def test_deliveries_are_retried_and_urls_checked_again(
    servers, loopback, project, manager, django_capture_on_commit_callbacks, settings
):
    base = servers.flaky("--fail-posts", "2")
    hook = webhook_create(project=project, url=base + "/hook")
    with django_capture_on_commit_callbacks(execute=True):
        completion_create(task=make_task(project), user=manager, result=choice("Positive"))
    assert len(received(base)) == 3  # two 503s, then delivered
    hook.refresh_from_db()
    assert hook.last_status == "ok"

    settings.ALLOW_LOOPBACK_URLS = False  # e.g. a DNS name that now points inside the network
    with django_capture_on_commit_callbacks(execute=True):
        completion_create(task=make_task(project), user=manager, result=choice("Negative"))
    assert len(received(base)) == 3
    hook.refresh_from_db()
    assert hook.last_status.startswith("refused:") and "loopback" in hook.last_status
    assert Webhook.objects.count() == 1
