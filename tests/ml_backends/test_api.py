"""The ML API: backends, predictions, compare/accept, settings, and who may do what."""

import pytest

from annotators.models import Completion
from ml_backends import services
from ml_backends.models import MLBackend, Prediction
from projects.services import membership_set
from tests.conftest import client_for
from tests.factories import make_task, make_user
from tests.live import free_port


def choice(label):
    return [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [label]}}]


@pytest.fixture
def member(project):
    user = make_user("annotator")
    membership_set(project=project, user=user, role="annotator")
    return user


@pytest.fixture
def outsider(db):
    return make_user("outsider")


@pytest.fixture
def dead_url():
    return f"http://127.0.0.1:{free_port()}"


@pytest.mark.live
def test_register_edit_check_and_remove_a_backend(servers, loopback, api, project):
    url = servers.sklearn("--basic-auth", "ml:secret")
    body = {
        "project": project.pk,
        "url": url,
        "title": "text clf",
        "auth_method": "BASIC_AUTH",
        "basic_auth_user": "ml",
        "basic_auth_pass": "secret",
        "extra_headers": {"X-Team": "a"},
        "timeout": 30,
    }
    response = api.post("/api/ml/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["state"] == "CO" and data["model_version"] == "initial" and data["readable_state"] == "Connected"
    assert "basic_auth_pass" not in data and data["basic_auth_pass_is_set"] is True

    listed = api.get(f"/api/ml?project={project.pk}").json()
    assert [b["id"] for b in listed] == [data["id"]]  # a plain list, as Label Studio answers

    response = api.patch(f"/api/ml/{data['id']}", {"basic_auth_pass": "wrong"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "ER"
    assert "401" in response.json()["error_message"]
    api.patch(f"/api/ml/{data['id']}/", {"basic_auth_pass": "secret"}, format="json")
    health = api.post(f"/api/ml/{data['id']}/health")
    assert health.status_code == 200 and health.json()["state"] == "CO"

    task = make_task(project)
    Prediction.objects.create(task=task, project=project, ml_backend_id=data["id"], result=[], model_version="x")
    versions = api.get(f"/api/ml/{data['id']}/versions").json()
    assert versions["current"] == "initial" and versions["versions"] == ["initial", "x"]
    assert api.delete(f"/api/ml/{data['id']}").status_code == 204
    assert Prediction.objects.get(task=task).ml_backend is None  # predictions outlive their backend


def test_backend_urls_are_checked(api, project, settings):
    settings.ALLOW_LOOPBACK_URLS = False
    settings.ALLOW_PRIVATE_URLS = False
    response = api.post("/api/ml/", {"project": project.pk, "url": "http://127.0.0.1:9090"}, format="json")
    assert response.status_code == 400 and "loopback" in response.json()["detail"]
    assert response.json()["field"] == "url"
    response = api.post("/api/ml/", {"project": project.pk, "url": "ftp://example.com/x"}, format="json")
    assert response.status_code == 400 and "scheme" in response.json()["detail"]
    assert not MLBackend.objects.exists()


def test_an_unreachable_backend_is_kept_and_shown_as_error(loopback, api, project, dead_url):
    response = api.post("/api/ml/", {"project": project.pk, "url": dead_url}, format="json")
    assert response.status_code == 201
    assert response.json()["state"] == "ER" and "cannot connect" in response.json()["error_message"]


def test_permissions_on_backends(loopback, project, member, outsider, dead_url):
    backend = services.ml_backend_create(project=project, url=dead_url, check=False)
    reader = client_for(member)
    assert reader.get(f"/api/ml/{backend.pk}").status_code == 200
    assert len(reader.get(f"/api/ml?project={project.pk}").json()) == 1
    assert reader.post("/api/ml/", {"project": project.pk, "url": dead_url}, format="json").status_code == 403
    assert reader.patch(f"/api/ml/{backend.pk}", {"title": "x"}, format="json").status_code == 403
    assert reader.post(f"/api/ml/{backend.pk}/train").status_code == 403
    assert reader.post(f"/api/ml/{backend.pk}/predict").status_code == 403
    assert reader.delete(f"/api/ml/{backend.pk}").status_code == 403

    stranger = client_for(outsider)
    assert stranger.get(f"/api/ml/{backend.pk}").status_code == 404
    assert stranger.get("/api/ml/").json() == []
    assert stranger.post("/api/ml/", {"project": project.pk, "url": dead_url}, format="json").status_code == 404


def test_create_predictions_validated_against_the_config(api, project):
    task = make_task(project)
    response = api.post(
        "/api/predictions/",
        {"task": task.pk, "result": choice("Positive"), "score": 0.7, "model_version": "m1"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["project"] == project.pk and response.json()["model_version"] == "m1"
    task.refresh_from_db()
    assert task.total_predictions == 1

    bad = [
        *choice("Positive"),
        {"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Maybe"]}},
    ]
    response = api.post("/api/predictions/", {"task": task.pk, "result": bad}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["index"] == 1 and body["field"] == "result[1].value.choices[0]" and "Maybe" in body["detail"]
    response = api.post(
        "/api/predictions/", {"task": task.pk, "result": choice("Positive"), "score": "x"}, format="json"
    )
    assert response.status_code == 400

    prediction_id = Prediction.objects.get().pk
    response = api.patch(f"/api/predictions/{prediction_id}", {"result": choice("Nope")}, format="json")
    assert response.status_code == 400 and response.json()["index"] == 0
    assert api.patch(f"/api/predictions/{prediction_id}", {"score": 0.1}, format="json").json()["score"] == 0.1
    assert api.delete(f"/api/predictions/{prediction_id}").status_code == 204
    task.refresh_from_db()
    assert task.total_predictions == 0


def test_compare_lists_and_accept(api, project, member, outsider):
    task, other = make_task(project), make_task(project)
    v1 = services.prediction_create(task=task, result=choice("Positive"), score=0.6, model_version="v1")
    services.prediction_create(task=task, result=choice("Negative"), score=0.8, model_version="v2")
    services.prediction_create(task=other, result=choice("Neutral"), model_version="v2")

    reader = client_for(member)
    listed = reader.get(f"/api/predictions/?task={task.pk}").json()
    assert [p["model_version"] for p in listed] == ["v1", "v2"]
    assert len(reader.get(f"/api/predictions/?project={project.pk}").json()) == 3
    assert reader.get(f"/api/predictions/?project={project.pk}&page_size=2").json()["count"] == 3
    assert [p["model_version"] for p in reader.get(f"/api/tasks/{task.pk}/predictions").json()] == ["v1", "v2"]
    assert reader.post("/api/predictions/", {"task": task.pk, "result": []}, format="json").status_code == 403

    response = reader.post(f"/api/predictions/{v1.pk}/accept")
    assert response.status_code == 201, response.json()
    completion = Completion.objects.get(pk=response.json()["id"])
    assert completion.completed_by == member and completion.parent_prediction == v1
    assert completion.result == v1.result
    assert reader.post(f"/api/predictions/{v1.pk}/accept").status_code == 409  # one completion per user

    stranger = client_for(outsider)
    assert stranger.get(f"/api/tasks/{task.pk}/predictions").status_code == 404
    assert stranger.get(f"/api/predictions/{v1.pk}").status_code == 404
    assert stranger.get("/api/predictions/").json() == []
    assert stranger.post(f"/api/predictions/{v1.pk}/accept").status_code == 404


def test_ml_settings(api, project, member):
    assert api.get(f"/api/projects/{project.pk}/ml-settings").json()["auto_prelabel"] is False
    response = api.patch(
        f"/api/projects/{project.pk}/ml-settings", {"auto_prelabel": True, "hitl_score_threshold": 0.5}, format="json"
    )
    assert response.status_code == 200 and response.json()["hitl_score_threshold"] == 0.5
    response = api.patch(f"/api/projects/{project.pk}/ml-settings", {"prelabel_batch_size": 0}, format="json")
    assert response.status_code == 400
    reader = client_for(member)
    assert reader.get(f"/api/projects/{project.pk}/ml-settings").status_code == 200
    assert reader.patch(f"/api/projects/{project.pk}/ml-settings", {"auto_prelabel": False}).status_code == 403


@pytest.mark.live
def test_start_a_prelabel_job_through_the_api(servers, loopback, api, project, django_capture_on_commit_callbacks):
    backend = services.ml_backend_create(project=project, url=servers.flaky())
    tasks = [make_task(project) for _ in range(4)]
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/ml/{backend.pk}/predict?task_ids={tasks[0].pk},{tasks[1].pk}")
    assert response.status_code == 201 and response.json()["kind"] == "prelabel"
    job = api.get(f"/api/jobs/{response.json()['id']}").json()
    assert job["status"] == "succeeded" and job["progress"] == {"done": 2, "total": 2}
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/ml/{backend.pk}/predict", {"batch_size": 3}, format="json")
    assert api.get(f"/api/jobs/{response.json()['id']}").json()["result"]["predicted_tasks"] == 2
    assert Prediction.objects.count() == 4


@pytest.mark.live
def test_interactive_annotating(servers, loopback, api, project, member, settings):
    task = make_task(project, data={"text": "great stuff"})
    plain = services.ml_backend_create(project=project, url=servers.flaky())
    response = api.post(f"/api/ml/{plain.pk}/interactive-annotating", {"task": task.pk}, format="json")
    assert response.status_code == 400 and "not interactive" in response.json()["detail"]

    interactive = services.ml_backend_create(project=project, url=servers.sklearn(), is_interactive=True)
    seed = choice("Neutral")
    response = client_for(member).post(
        f"/api/ml/{interactive.pk}/interactive-annotating",
        {"task": task.pk, "context": {"result": seed}},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["result"][0]["value"] == {"choices": ["Neutral"]} and response.json()["score"] == 1.0

    # a slow backend answers 503 after the short interactive timeout, never stalling the annotator
    settings.ML_INTERACTIVE_TIMEOUT = 0.5
    slow = services.ml_backend_create(project=project, url=servers.flaky("--delay", "5"), is_interactive=True)
    response = api.post(f"/api/ml/{slow.pk}/interactive-annotating", {"task": task.pk}, format="json")
    assert response.status_code == 503 and "timed out after 0.5 s" in response.json()["detail"]


@pytest.mark.live
def test_periodic_health_check_marks_dead_and_live_backends(servers, loopback, project, dead_url):
    from ml_backends.celery_tasks import check_backends

    live = services.ml_backend_create(project=project, url=servers.sklearn(), check=False)
    dead = services.ml_backend_create(project=project, url=dead_url, check=False)
    assert check_backends.delay().get() == {"not_connected": 1}
    live.refresh_from_db()
    dead.refresh_from_db()
    assert live.state == MLBackend.State.CONNECTED and live.last_checked_at
    assert dead.state == MLBackend.State.ERROR and dead.error_message
    loopback.ALLOW_LOOPBACK_URLS = False  # a URL that is no longer allowed is an error, not a crash
    assert check_backends.delay().get() == {"not_connected": 2}
    live.refresh_from_db()
    assert live.state == MLBackend.State.ERROR and "loopback" in live.error_message
