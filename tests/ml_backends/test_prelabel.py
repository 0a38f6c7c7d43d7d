"""Pre-labeling jobs against real model servers: the example backend and a flaky one."""

import threading
import time

import pytest
import requests
from django.db import connection

from labelstudio.core.jobs import job_cancel
from labelstudio.core.models import Job
from ml_backends import services
from ml_backends.models import MLBackend, Prediction
from tasks.models import Task
from tests.factories import make_task

pytestmark = pytest.mark.live


def make_tasks(project, n, **extra):
    Task.objects.bulk_create(
        [Task(project=project, data={"text": f"text number {i}"}, **extra) for i in range(n)], batch_size=2000
    )
    return list(project.tasks.order_by("id").values_list("id", flat=True))


def run_prelabel(capture, **kwargs):
    with capture(execute=True):
        job = services.prelabel_start(**kwargs)
    job.refresh_from_db()
    return job


def test_prelabel_all_tasks_then_skip_the_ones_done(
    servers, loopback, project, manager, django_capture_on_commit_callbacks
):
    url = servers.sklearn()
    backend = services.ml_backend_create(project=project, url=url, title="sklearn")
    assert backend.state == MLBackend.State.CONNECTED and backend.model_version == "initial"
    ids = make_tasks(project, 250)

    job = run_prelabel(django_capture_on_commit_callbacks, backend=backend, created_by=manager, batch_size=40)
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.kind == Job.Kind.PRELABEL and (job.progress_done, job.progress_total) == (250, 250)
    assert job.result["predicted_tasks"] == 250 and job.result["model_version"] == "initial"
    preds = Prediction.objects.filter(project=project)
    assert preds.count() == 250 and set(preds.values_list("task_id", flat=True)) == set(ids)
    first = preds.first()
    assert first.ml_backend == backend and first.score == pytest.approx(1 / 3)  # untrained: low score
    assert first.result[0]["value"]["choices"] == ["Positive"]
    assert set(Task.objects.filter(pk__in=ids).values_list("total_predictions", flat=True)) == {1}
    backend.refresh_from_db()
    assert backend.state == MLBackend.State.CONNECTED

    new = make_task(project)
    again = run_prelabel(django_capture_on_commit_callbacks, backend=backend)
    assert again.status == Job.Status.SUCCEEDED and again.result["tasks"] == 1
    assert Prediction.objects.filter(task=new).count() == 1 and preds.count() == 251


def test_prelabel_a_selection_and_after_import(servers, loopback, project, django_capture_on_commit_callbacks):
    backend = services.ml_backend_create(project=project, url=servers.flaky())
    ids = make_tasks(project, 30)
    job = run_prelabel(django_capture_on_commit_callbacks, backend=backend, task_ids=ids[:5])
    assert job.status == Job.Status.SUCCEEDED and job.result["tasks"] == 5
    assert set(Prediction.objects.values_list("task_id", flat=True)) == set(ids[:5])

    # after an import: nothing unless the project asks for it
    assert services.prelabel_after_import(project=project, task_ids_or_import_job=ids[5:10]) == []
    services.ml_settings_update(project=project, auto_prelabel=True)
    with django_capture_on_commit_callbacks(execute=True):
        jobs = services.prelabel_after_import(project=project, task_ids_or_import_job=ids[5:10])
    assert len(jobs) == 1 and jobs[0].params["task_ids"] == ids[5:10]
    imported = Job.objects.create(kind=Job.Kind.IMPORT, project=project, status=Job.Status.SUCCEEDED)
    Task.objects.filter(pk__in=ids[20:]).update(import_job=imported)
    with django_capture_on_commit_callbacks(execute=True):
        services.prelabel_after_import(project=project, task_ids_or_import_job=imported)
    predicted = set(Prediction.objects.values_list("task_id", flat=True))
    assert predicted == set(ids[:10]) | set(ids[20:])


def test_ten_thousand_tasks_through_a_backend_that_fails_and_times_out(
    servers, loopback, project, django_capture_on_commit_callbacks
):
    # batch 9 hangs past the timeout, every 7th batch answers 500, batch 11 answers one result short;
    # each only on its first attempt
    url = servers.flaky("--fail-every", "7", "--hang-batch", "9", "--hang-seconds", "3", "--mismatch-batch", "11")
    backend = services.ml_backend_create(project=project, url=url, timeout=1.5)
    ids = make_tasks(project, 10_000)
    job = run_prelabel(
        django_capture_on_commit_callbacks, backend=backend, batch_size=100, concurrency=4, retry_backoff=0.05
    )
    assert job.status == Job.Status.SUCCEEDED, (job.error, job.errors[:3])
    stats = requests.get(url + "/_stats", timeout=5).json()
    assert stats["batches"] == 100 and stats["failed"] == 14 and stats["hung"] == 1 and stats["mismatched"] == 1
    assert job.result["retried_batches"] == 16 and job.result["failed_tasks"] == 0
    assert stats["predict_calls"] == 116
    assert job.result["predictions"] == 10_000 and job.result["predicted_tasks"] == 10_000
    per_task = Prediction.objects.filter(project=project).values_list("task_id", flat=True)
    assert len(per_task) == 10_000 and set(per_task) == set(ids)  # every task, exactly once
    assert Task.objects.filter(project=project, total_predictions=1).count() == 10_000


def test_predictions_that_do_not_fit_are_rejected_and_reported(
    servers, loopback, project, django_capture_on_commit_callbacks
):
    backend = services.ml_backend_create(project=project, url=servers.flaky("--invalid-every", "5"))
    ids = make_tasks(project, 50)
    job = run_prelabel(django_capture_on_commit_callbacks, backend=backend, batch_size=20)
    assert job.status == Job.Status.SUCCEEDED
    bad = [i for i in ids if i % 5 == 0]
    assert job.result["rejected"] == len(bad) and job.result["predicted_tasks"] == 50 - len(bad)
    assert sorted(e["task"] for e in job.errors) == bad
    assert "result[0].value.choices" in job.errors[0]["message"] and "NotALabel" in job.errors[0]["message"]
    assert not Prediction.objects.filter(task_id__in=bad).exists()


def test_batches_that_keep_failing_fail_the_job_and_a_rerun_finishes(
    servers, loopback, project, django_capture_on_commit_callbacks
):
    backend = services.ml_backend_create(project=project, url=servers.flaky("--fail-every", "2"))
    make_tasks(project, 100)
    job = run_prelabel(django_capture_on_commit_callbacks, backend=backend, batch_size=10, max_attempts=1)
    assert job.status == Job.Status.FAILED
    assert job.error.startswith("50 of 100 tasks could not be pre-labeled after 1 attempts")
    assert "HTTP 500" in job.errors[0]["message"]
    assert Prediction.objects.count() == 50  # the batches that worked are kept
    backend.refresh_from_db()
    assert backend.state == MLBackend.State.ERROR

    rerun = run_prelabel(django_capture_on_commit_callbacks, backend=backend, batch_size=10)
    assert rerun.status == Job.Status.SUCCEEDED and rerun.result["tasks"] == 50
    assert Prediction.objects.count() == 100


def test_a_dead_backend_fails_the_job_with_a_clear_error(loopback, project, django_capture_on_commit_callbacks):
    from tests.live import free_port

    backend = services.ml_backend_create(project=project, url=f"http://127.0.0.1:{free_port()}")
    assert backend.state == MLBackend.State.ERROR and "cannot connect" in backend.error_message
    make_tasks(project, 3)
    job = run_prelabel(django_capture_on_commit_callbacks, backend=backend)
    assert job.status == Job.Status.FAILED and job.error.startswith("the ML backend is not available: cannot connect")


@pytest.mark.django_db(transaction=True)
def test_a_running_job_can_be_cancelled(servers, loopback, manager):
    from tests.factories import make_project

    project = make_project(created_by=manager)
    backend = services.ml_backend_create(project=project, url=servers.flaky("--delay", "0.2"))
    make_tasks(project, 400)

    def cancel_when_running():
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                job = Job.objects.filter(project=project, kind=Job.Kind.PRELABEL, status=Job.Status.RUNNING).first()
                if job and Prediction.objects.filter(project=project).exists():
                    job_cancel(job=job)
                    return
                time.sleep(0.05)
        finally:
            connection.close()

    canceller = threading.Thread(target=cancel_when_running)
    canceller.start()
    job = services.prelabel_start(backend=backend, batch_size=10, concurrency=1)  # runs inline (eager)
    canceller.join()
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED
    assert 0 < Prediction.objects.filter(project=project).count() < 400


@pytest.mark.django_db(transaction=True)
def test_cancel_is_felt_while_the_backend_hangs(servers, loopback, manager):
    """A batch hangs on the backend (30 s, less than the request timeout); the cancel ends the job
    while the backend still holds that request, not after the request's timeout."""
    from tests.factories import make_project

    project = make_project(created_by=manager)
    url = servers.flaky("--hang-batch", "2", "--hang-seconds", "30")
    backend = services.ml_backend_create(project=project, url=url)
    make_tasks(project, 50)

    def cancel_when_hanging():
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if requests.get(f"{url}/_stats", timeout=5).json()["hanging"]:
                    job_cancel(job=Job.objects.get(project=project, kind=Job.Kind.PRELABEL))
                    return
                time.sleep(0.05)
        finally:
            connection.close()

    canceller = threading.Thread(target=cancel_when_hanging)
    canceller.start()
    job = services.prelabel_start(backend=backend, batch_size=10, concurrency=1)  # runs inline (eager)
    canceller.join()
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED
    assert requests.get(f"{url}/_stats", timeout=5).json()["hanging"] == 1  # the backend still holds it
    assert Prediction.objects.filter(project=project).count() == 10  # the first batch only


def test_prelabel_keeps_the_tasks_average_score(servers, loopback, project, django_capture_on_commit_callbacks):
    """The job's bulk write (COPY on PostgreSQL) recounts its tasks' predictions: the count and
    prediction_score, the average with the predictions the tasks had before."""
    from django.db.models import Avg

    backend = services.ml_backend_create(project=project, url=servers.flaky("--score", "0.25"))
    ids = make_tasks(project, 6)
    earlier = [Prediction(task_id=pk, project=project, model_version="old", score=0.75, result=[]) for pk in ids[:2]]
    Prediction.objects.bulk_create(earlier)
    job = run_prelabel(django_capture_on_commit_callbacks, backend=backend, task_ids=ids[1:5], batch_size=3)
    assert job.status == Job.Status.SUCCEEDED, job.error
    want = dict(Prediction.objects.values("task_id").annotate(avg=Avg("score")).values_list("task_id", "avg"))
    got = dict(Task.objects.filter(pk__in=ids).values_list("id", "prediction_score"))
    assert got == {
        ids[0]: None,  # its "old" prediction was written around the services, and the job skipped it
        ids[1]: pytest.approx(0.5),
        ids[2]: pytest.approx(0.25),
        ids[3]: pytest.approx(0.25),
        ids[4]: pytest.approx(0.25),
        ids[5]: None,
    }
    assert {k: v for k, v in got.items() if v is not None} == pytest.approx({k: want[k] for k in ids[1:5]})
    counts = dict(Task.objects.filter(pk__in=ids).values_list("id", "total_predictions"))
    assert counts == {ids[0]: 0, ids[1]: 2, ids[2]: 1, ids[3]: 1, ids[4]: 1, ids[5]: 0}
