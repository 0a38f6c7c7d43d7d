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


def test_two_prelabel_attempts_at_once_predict_each_task_once(servers, loopback, manager, settings):
    """Attempt 1 is pre-labeling (slow backend) when a retry starts attempt 2 in the other pool
    process: attempt 1 stops at its next batch (superseded) and writes nothing more, attempt 2
    finishes the rest; every task ends with exactly one prediction."""
    from labelstudio.celery import app
    from labelstudio.core.jobs import job_retry

    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL (make test sets it)")
    env = {"REDIS_URL": settings.REDIS_URL, "LABELSTUDIO_DATA_DIR": settings.DATA_DIR}
    proc = celery_worker({**env, "LABELSTUDIO_ALLOW_LOOPBACK_URLS": 1, "JOB_HEARTBEAT_SECONDS": 0.3}, concurrency=2)
    proc.wait_for_line("ready", timeout=60)
    project = make_project(created_by=manager)
    backend = services.ml_backend_create(project=project, url=servers.flaky("--delay", "0.2"))
    Task.objects.bulk_create([Task(project=project, data={"text": f"t{i}"}) for i in range(200)])
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    try:
        job = services.prelabel_start(backend=backend, batch_size=10, concurrency=1)
        deadline = time.monotonic() + 120
        while Prediction.objects.filter(project=project).count() < 30 and time.monotonic() < deadline:
            time.sleep(0.05)
        job_retry(job=Job.objects.get(pk=job.pk))
        while len(Job.objects.get(pk=job.pk).attempt_log) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        app.conf.task_always_eager = True
        proc.stop()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, (job.error, proc.output[-3000:])
    assert sorted((e["attempt"], e["outcome"]) for e in job.attempt_log) == [(1, "superseded"), (2, "succeeded")]
    assert Prediction.objects.filter(project=project).count() == 200
    assert set(project.tasks.values_list("total_predictions", flat=True)) == {1}
