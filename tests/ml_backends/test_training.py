"""Training: completion events to the backend's /webhook, START_TRAINING by hand and every N
completions, and the old /train fallback — all against real model servers."""

import pytest
import requests

from annotators.services import completion_create, completion_delete, completion_update
from labelstudio.core.models import Job
from ml_backends import completion_events, services
from ml_backends.models import MLBackend, Prediction
from tests.conftest import client_for
from tests.factories import make_task
from tests.ml_backends.test_prelabel import run_prelabel

pytestmark = pytest.mark.live

GOOD = ["good great excellent", "great film, excellent", "really good and great"]
BAD = ["bad awful terrible", "awful film, terrible", "really bad and awful"]


def choice(label):
    return [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [label]}}]


def received(url, path="/webhook"):
    return [r["body"] for r in requests.get(url + "/_requests", timeout=5).json() if r["path"] == path]


def annotate(capture, user, task, label):
    with capture(execute=True):
        return completion_create(task=task, user=user, result=choice(label))


def test_the_example_backend_learns_from_completions(
    servers, loopback, project, manager, django_capture_on_commit_callbacks
):
    backend = services.ml_backend_create(project=project, url=servers.sklearn())
    for texts, label in ((GOOD, "Positive"), (BAD, "Negative")):
        for text in texts:
            annotate(django_capture_on_commit_callbacks, manager, make_task(project, data={"text": text}), label)
    unseen = [make_task(project, data={"text": "excellent and good"}), make_task(project, data={"text": "terrible"})]

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(manager).post(f"/api/ml/{backend.pk}/train/")
    job = Job.objects.get(pk=response.json()["id"])
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["response"] == {"trained": True, "model_version": "v1", "examples": 6}

    job = run_prelabel(django_capture_on_commit_callbacks, backend=backend, task_ids=[t.pk for t in unseen])
    assert job.result["model_version"] == "v1"
    got = {p.task_id: (p.result[0]["value"]["choices"][0], p.score) for p in Prediction.objects.all()}
    assert got[unseen[0].pk][0] == "Positive" and got[unseen[1].pk][0] == "Negative"
    assert all(score > 0.5 for _, score in got.values())  # trained: more sure than the untrained 1/3


def test_update_and_delete_events_carry_the_completion(
    servers, loopback, project, manager, django_capture_on_commit_callbacks
):
    url = servers.flaky()
    services.ml_backend_create(project=project, url=url, extra_headers={"X-Key": "k1"})
    task = make_task(project)
    completion = annotate(django_capture_on_commit_callbacks, manager, task, "Positive")
    with django_capture_on_commit_callbacks(execute=True):
        completion = completion_update(completion=completion, user=manager, version=1, result=choice("Neutral"))
    with django_capture_on_commit_callbacks(execute=True):
        completion_delete(completion=completion, user=manager)
    events = received(url)
    assert [e["action"] for e in events] == ["ANNOTATION_CREATED", "ANNOTATION_UPDATED", "ANNOTATION_DELETED"]
    assert events[1]["annotation"]["result"] == choice("Neutral") and events[2]["annotation"]["id"] == completion.pk
    assert events[0]["task"]["data"] == task.data and "<Choices" in events[0]["project"]["label_config"]
    headers = [r["headers"] for r in requests.get(url + "/_requests", timeout=5).json() if r["path"] == "/webhook"]
    assert all(h["x-key"] == "k1" for h in headers)


def test_every_n_completions_starts_a_training_job(
    servers, loopback, project, manager, django_capture_on_commit_callbacks
):
    url = servers.flaky()
    backend = services.ml_backend_create(project=project, url=url, send_completion_events=False, train_every_n=3)
    for _ in range(7):
        annotate(django_capture_on_commit_callbacks, manager, make_task(project), "Positive")
    jobs = Job.objects.filter(project=project, kind=Job.Kind.TRAIN).order_by("id")
    assert [(j.status, j.params["reason"]) for j in jobs] == [("succeeded", "every_n")] * 2
    assert [e["action"] for e in received(url)] == ["START_TRAINING", "START_TRAINING"]
    backend.refresh_from_db()
    assert backend.completions_since_train == 1


def test_backends_without_webhook_get_the_old_train_call(
    servers, loopback, project, manager, django_capture_on_commit_callbacks
):
    url = servers.flaky("--no-webhook")
    backend = services.ml_backend_create(project=project, url=url, send_completion_events=False)
    task = make_task(project, data={"text": "fine"})
    annotate(django_capture_on_commit_callbacks, manager, task, "Positive")
    with django_capture_on_commit_callbacks(execute=True):
        job = services.train_start(backend=backend)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.result["endpoint"] == "train"
    (body,) = received(url, "/train")
    assert body["label_config"] == project.label_config and body["project"].startswith(f"{project.pk}.")
    assert (
        body["annotations"][0]["result"] == choice("Positive") and body["annotations"][0]["task"]["data"] == task.data
    )


def test_failed_event_deliveries_are_retried(servers, loopback, project, manager, django_capture_on_commit_callbacks):
    url = servers.flaky("--fail-posts", "2")  # the first two POSTs to /webhook answer 503
    services.ml_backend_create(project=project, url=url)
    annotate(django_capture_on_commit_callbacks, manager, make_task(project), "Negative")
    assert [e["action"] for e in received(url)] == ["ANNOTATION_CREATED"] * 3  # 2 failures, then delivered


def test_a_training_job_fails_visibly_when_the_backend_refuses(loopback, project, django_capture_on_commit_callbacks):
    from tests.live import free_port

    backend = services.ml_backend_create(project=project, url=f"http://127.0.0.1:{free_port()}", check=False)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.train_start(backend=backend)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "did not start training: cannot connect" in job.error
    backend.refresh_from_db()
    assert backend.state == MLBackend.State.ERROR


def test_completion_events_cost_one_query_when_nobody_listens(
    project, manager, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """On every submit: after commit, one statement asks whether ML backends or webhooks listen."""
    from annotators.models import Completion
    from labelstudio.core import events

    completion = Completion.objects.create(task=make_task(project), project=project, completed_by=manager)
    with django_capture_on_commit_callbacks() as callbacks:
        events.emit(events.ANNOTATION_CREATED, completion=completion)
    with django_assert_num_queries(1), django_capture_on_commit_callbacks() as sent:
        callbacks[0]()
    assert sent == []
    MLBackend.objects.create(project=project, url="http://127.0.0.1:9/")
    with django_assert_num_queries(1), django_capture_on_commit_callbacks() as sent:
        callbacks[0]()
    assert len(sent) == 1  # the ML subscriber's message
    with pytest.raises(ValueError):
        completion_events.on_completion_event(completion=completion, event="SOMETHING")
