"""Job reliability in one process: claiming, supersession, the reaper, cancel, retry of any kind,
/health. The same paths with real workers being killed: tests/labelstudio/test_job_faults.py."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from labelstudio.core.jobs import job_cancel, job_run
from labelstudio.core.models import Job
from labelstudio.core.reaper import reap_jobs
from tasks.importers.services import import_job_create
from tests.conftest import client_for
from tests.factories import make_task

pytestmark = pytest.mark.django_db


def running_job(project, *, beat_age: float = 0, worker: str = "elsewhere:1", **extra) -> Job:
    beat = timezone.now() - timedelta(seconds=beat_age)
    return Job.objects.create(
        kind=Job.Kind.IMPORT,
        project=project,
        status=Job.Status.RUNNING,
        attempts=1,
        started_at=beat,
        heartbeat_at=beat,
        worker=worker,
        task_name="tasks.run_import",
        **extra,
    )


def test_a_newer_attempt_supersedes_the_running_one_which_commits_nothing(project):
    job = Job.objects.create(kind=Job.Kind.IMPORT, project=project, task_name="tasks.run_import")

    def work(job, progress):
        with transaction.atomic():
            make_task(project)
            # a retry (or the reaper) claimed the job meanwhile: it is attempt 2's now
            Job.objects.filter(pk=job.pk).update(attempts=F("attempts") + 1)
            progress.commit_point(final=True)
        return {"task_count": 1}

    assert job_run(job.pk, work) == {"status": "superseded"}
    job.refresh_from_db()
    assert not project.tasks.exists()  # rolled back
    assert job.status == Job.Status.RUNNING  # the row is the newer attempt's
    assert job.attempt_log[-1]["outcome"] == "superseded" and job.attempt_log[-1]["attempt"] == 1


def test_a_committed_outcome_stands_and_a_finished_job_is_not_run_again(project):
    job = Job.objects.create(kind=Job.Kind.IMPORT, project=project)

    def work(job, progress):
        with transaction.atomic():
            progress.commit_point(final=True)
        return {"task_count": 0}

    assert job_run(job.pk, work)["status"] == "succeeded"
    assert job_run(job.pk, work) == {"status": "succeeded"}  # redelivered: nothing runs
    job.refresh_from_db()
    assert job.attempts == 1 and [e["outcome"] for e in job.attempt_log] == ["succeeded"]


def test_reaper_requeues_a_job_whose_worker_is_gone(project, settings, django_capture_on_commit_callbacks):
    settings.JOB_STALE_SECONDS = 30
    dead = running_job(project, beat_age=60)
    alive = running_job(project, beat_age=1)
    with django_capture_on_commit_callbacks(execute=False) as sent:
        out = reap_jobs()
    assert out["requeued"] == [dead.pk] and len(sent) == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == Job.Status.QUEUED and dead.requeues == 1 and dead.attempt_log[-1]["outcome"] == "lost"
    assert alive.status == Job.Status.RUNNING


def test_reaper_fails_a_job_after_the_bound_and_says_why(project, settings):
    settings.JOB_MAX_REQUEUES = 2
    job = running_job(project, beat_age=3600, requeues=2)
    reap_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "gave up after 3 tries" in job.error and "worker stopped" in job.error


def test_reaper_finishes_a_cancel_whose_worker_died(project):
    job = running_job(project, beat_age=3600, cancel_requested=True)
    assert reap_jobs()["cancelled"] == [job.pk]
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED


def test_reaper_sends_a_job_created_while_the_broker_was_down(project, manager):
    with transaction.atomic():
        job = import_job_create(project=project, created_by=manager, tasks=[{"text": "a"}], enqueue=False)
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=1))
    assert Job.objects.get(pk=job.pk).enqueued_at is None
    assert reap_jobs()["enqueued"] == [job.pk]  # eager in this test run: it ran
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.enqueued_at is not None
    assert project.tasks.count() == 1


def test_reaper_requeues_a_queued_job_whose_message_was_lost(project, settings, django_capture_on_commit_callbacks):
    settings.JOB_QUEUED_STALE_SECONDS = 60
    old = timezone.now() - timedelta(minutes=5)
    lost = Job.objects.create(kind="import", project=project, task_name="tasks.run_import", enqueued_at=old)
    fresh = Job.objects.create(kind="import", project=project, task_name="tasks.run_import", enqueued_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=False):
        out = reap_jobs()
    assert out["requeued"] == [lost.pk]
    assert Job.objects.get(pk=lost.pk).requeues == 1 and Job.objects.get(pk=fresh.pk).requeues == 0


def test_cancel_of_a_job_whose_worker_is_gone_is_immediate(project):
    job = running_job(project, beat_age=3600)
    assert job_cancel(job=job).status == Job.Status.CANCELLED


def test_cancel_of_a_live_job_is_seen_at_its_next_report(project):
    job = Job.objects.create(kind=Job.Kind.IMPORT, project=project)
    seen = []

    def work(job, progress):
        job_cancel(job=Job.objects.get(pk=job.pk))
        assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING  # it is alive: it stops itself
        seen.append(1)
        progress.report(1, 2, force=True)
        seen.append(2)

    assert job_run(job.pk, work) == {"status": "cancelled"}
    assert seen == [1]


def test_every_job_kind_can_be_retried_through_the_jobs_api(project, manager):
    from tasks.exporters.services import export_create

    make_task(project)
    with transaction.atomic():
        job = export_create(project=project, created_by=manager, format="JSON")
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error="worker lost")
    api = client_for(manager)
    response = api.post(f"/api/jobs/{job.pk}/retry/")
    assert response.status_code == 200, response.content
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.task_name == "tasks.run_export"
    assert api.post(f"/api/jobs/{job.pk}/retry/").status_code == 409  # queued already


def test_health_reports_each_part(client, settings):
    response = client.get("/health")
    body = response.json()
    assert body["database"] == "UP" and body["broker"] == "UP"
    assert body["worker"] in ("UP", "DOWN")
    assert body["status"] == "UP"
    assert ("warnings" in body) == (body["worker"] != "UP")
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.get("/health")
    assert response.status_code == 503 and response.json()["broker"].startswith("DOWN")
    assert response.json()["status"] == "DOWN"


def test_training_is_triggered_at_most_once_per_job_and_never_by_a_superseded_attempt(project):
    from labelstudio.core.jobs import JobSuperseded, Progress
    from ml_backends.models import MLBackend
    from ml_backends.training import train_run

    backend = MLBackend.objects.create(project=project, url="http://127.0.0.1:9")  # nothing listens
    job = Job.objects.create(kind=Job.Kind.TRAIN, project=project, params={"ml_backend": backend.pk})
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, attempts=2)
    with pytest.raises(JobSuperseded):  # attempt 1 no longer owns the job: it sends nothing
        train_run(job, Progress(job.pk, attempt=1))
    Job.objects.filter(pk=job.pk).update(result={"training_sent_by": 1})
    result = train_run(job, Progress(job.pk, attempt=2))  # attempt 1 had sent it: not again
    assert result["endpoint"] == "none" and result["resent"] is False


@pytest.mark.django_db(transaction=True)
def test_a_duplicate_message_for_a_job_a_live_attempt_runs_is_dropped(project, settings):
    """Redis redelivers (or the reaper re-sends) a message while the attempt is alive elsewhere:
    its beat moves, so the duplicate does not claim the job."""
    import threading

    from django.db import connection

    settings.JOB_STALE_SECONDS = 30
    job = running_job(project, beat_age=0)
    stop = threading.Event()

    def beat():  # the other worker's heartbeat
        try:
            while not stop.wait(0.2):
                Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
        finally:
            connection.close()

    beater = threading.Thread(target=beat)
    beater.start()
    try:
        outcome = job_run(job.pk, lambda job, progress: pytest.fail("a duplicate ran the job"))
    finally:
        stop.set()
        beater.join()
    assert outcome == {"skipped": "running in another live attempt"}
    assert Job.objects.get(pk=job.pk).attempts == 1


def test_reaper_tells_a_job_waiting_its_turn_from_one_whose_message_redis_lost(project, manager, settings):
    """With Redis as the broker the reaper looks for the job's message itself: a job whose message
    waits in the queue is left alone however long; once the message is gone (flush, restart
    without persistence) the job is sent again at the next pass."""
    import redis

    from labelstudio.core.jobs import job_enqueue
    from tests.tasks.test_import_worker_kill import not_eager

    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL")
    settings.JOB_QUEUED_STALE_SECONDS = 3600
    broker = redis.Redis.from_url(settings.REDIS_URL)
    broker.flushdb()
    with not_eager(), transaction.atomic():  # no worker consumes this Redis DB here
        job = import_job_create(project=project, created_by=manager, tasks=[{"text": "a"}], enqueue=False)
        assert job_enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(enqueued_at=timezone.now() - timedelta(minutes=5))
    assert Job.objects.get(pk=job.pk).message_id
    with not_eager():
        assert reap_jobs()["requeued"] == []  # its message is still there
        broker.flushdb()
        assert reap_jobs()["requeued"] == [job.pk]
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.requeues == 1 and job.attempt_log[-1]["outcome"] == "lost"
    broker.flushdb()
