"""A backend built with the ``label-studio-ml`` package from PyPI (1.0.9, its own venv and its own
standard server) works unchanged: setup, pre-labeling, training from completion events, a new model
version whose predictions agree better with ground truth, and interactive pre-annotation."""

import time

import pytest

from annotators.services import completion_create
from labelstudio.core.models import Job
from ml_backends import services
from ml_backends.backends import backend_setup
from ml_backends.models import MLBackend, Prediction
from tests.conftest import client_for
from tests.ml_backends.test_prelabel import make_tasks, run_prelabel

pytestmark = pytest.mark.live


def choice(label):
    return [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [label]}}]


def test_label_studio_ml_backend_end_to_end(
    servers, loopback, project, manager, tmp_path, django_capture_on_commit_callbacks
):
    url = servers.lsml(tmp_path / "models")
    backend = services.ml_backend_create(project=project, url=url, title="lsml", is_interactive=True)
    assert backend.state == MLBackend.State.CONNECTED, backend.error_message
    assert backend.model_version == "INITIAL"
    ids = make_tasks(project, 20)

    job = run_prelabel(django_capture_on_commit_callbacks, backend=backend, batch_size=8)
    assert job.status == Job.Status.SUCCEEDED, job.error
    first = Prediction.objects.filter(project=project, model_version="INITIAL")
    assert first.count() == 20 and {p.result[0]["value"]["choices"][0] for p in first} == {"Positive"}
    assert {p.score for p in first} == {0.1}

    # a human answers "Negative" (ground truth): ANNOTATION_CREATED goes to the backend's /webhook,
    # label-studio-ml runs its fit() in the background and stores a new model version
    task = project.tasks.get(pk=ids[0])
    with django_capture_on_commit_callbacks(execute=True):
        completion_create(task=task, user=manager, result=choice("Negative"), ground_truth=True)
    deadline = time.monotonic() + 60
    while backend.model_version == "INITIAL" and time.monotonic() < deadline:
        time.sleep(0.3)
        backend_setup(backend)
    assert backend.model_version not in ("INITIAL", ""), "label-studio-ml never produced a trained version"

    job = run_prelabel(django_capture_on_commit_callbacks, backend=backend)
    assert job.status == Job.Status.SUCCEEDED and job.result["predicted_tasks"] == 20
    trained = Prediction.objects.filter(project=project, model_version=backend.model_version)
    assert {p.result[0]["value"]["choices"][0] for p in trained} == {"Negative"} and {p.score for p in trained} == {0.9}

    # monitoring: the trained version agrees with the ground truth, the initial one did not
    api = client_for(manager)
    body = api.get(f"/api/projects/{project.pk}/model-versions/").json()
    by_version = {v["model_version"]: v for v in body["versions"]}
    assert by_version["INITIAL"]["agreement"] == 0.0 and by_version[backend.model_version]["agreement"] == 1.0
    assert by_version[backend.model_version]["predictions"] == 20 and body["current"] == backend.model_version

    versions = api.get(f"/api/ml/{backend.pk}/versions").json()
    assert backend.model_version in versions["reported_by_backend"]  # label-studio-ml's own /versions
    assert set(versions["versions"]) == {"INITIAL", backend.model_version}

    # START_TRAINING by hand is accepted by its /webhook
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/ml/{backend.pk}/train")
    assert response.status_code == 201
    train = Job.objects.get(pk=response.json()["id"])
    assert (
        train.kind == Job.Kind.TRAIN and train.status == Job.Status.SUCCEEDED and train.result["endpoint"] == "webhook"
    )

    # interactive: the seed region goes as params.context and comes back
    response = api.post(
        f"/api/ml/{backend.pk}/interactive-annotating",
        {"task": ids[1], "context": {"result": choice("Neutral")}},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["result"][0]["value"]["choices"] == ["Neutral"]
