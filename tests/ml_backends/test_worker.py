"""Pre-labeling never blocks the web server: the API answers at once with a queued job, and a real
Celery worker on Redis does the work against a real (slow) model server."""

import time

import pytest

from labelstudio.core.models import Job
from ml_backends import services
from ml_backends.models import Prediction
from tasks.models import Task
from tests.conftest import client_for
from tests.factories import make_project
from tests.live import celery_worker

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(settings):
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL (make test sets it)")
    proc = celery_worker(
        {
            "REDIS_URL": settings.REDIS_URL,
            "LABELSTUDIO_DATA_DIR": settings.DATA_DIR,
            "LABELSTUDIO_ALLOW_LOOPBACK_URLS": 1,
        }
    )
    proc.wait_for_line("ready", timeout=60)
    yield proc
    proc.stop()


def test_prelabel_job_runs_in_a_real_worker(worker, servers, loopback, manager, settings):
    from labelstudio.celery import app

    project = make_project(created_by=manager)
    backend = services.ml_backend_create(project=project, url=servers.flaky("--delay", "0.3", "--fail-every", "3"))
    Task.objects.bulk_create([Task(project=project, data={"text": f"t{i}"}) for i in range(300)])
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    try:
        response = client_for(manager).post(f"/api/ml/{backend.pk}/predict", {"batch_size": 25}, format="json")
        assert response.status_code == 201 and response.json()["status"] == "queued"
        job = Job.objects.get(pk=response.json()["id"])
        deadline = time.monotonic() + 120
        while not job.is_finished and time.monotonic() < deadline:
            time.sleep(0.2)
            job.refresh_from_db()
    finally:
        app.conf.task_always_eager = True
    assert job.status == Job.Status.SUCCEEDED, (job.error, worker.output[-3000:])
    assert job.result["predicted_tasks"] == 300 and job.result["retried_batches"] == 4
    assert Prediction.objects.filter(project=project).count() == 300
    assert "Task ml_backends.run_prelabel[" in worker.output
