"""A job through a real Celery worker on Redis: enqueued after commit, run, recorded."""

import time

import pytest
from django.db import transaction

from labelstudio.core.models import Job
from tests.live import celery_worker

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(settings):
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL (make test sets it)")
    proc = celery_worker({"REDIS_URL": settings.REDIS_URL, "LABELSTUDIO_DATA_DIR": settings.DATA_DIR})
    proc.wait_for_line("ready", timeout=60)
    yield proc
    proc.stop()


def test_import_job_runs_in_a_real_worker(worker, project, manager, settings, monkeypatch):
    monkeypatch.setattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)
    from labelstudio.celery import app

    app.conf.task_always_eager = False
    try:
        from tasks.importers.services import import_job_create

        with transaction.atomic():
            job = import_job_create(project=project, created_by=manager, tasks=[{"text": f"t{i}"} for i in range(25)])
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.is_finished:
                break
            time.sleep(0.2)
    finally:
        app.conf.task_always_eager = True
    assert job.status == Job.Status.SUCCEEDED, (job.error, worker.output[-3000:])
    assert project.tasks.count() == 25
    assert "Task tasks.run_import[" in worker.output
