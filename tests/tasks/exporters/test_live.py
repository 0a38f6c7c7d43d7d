"""Schedules with real processes: Celery beat (DatabaseScheduler) and a worker against Redis run a
schedule for two periods, the second exporting only what changed; an S3 target (moto_server) that
fails first is retried by the worker and then receives the file."""

from __future__ import annotations

import json
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

from annotators.models import Completion
from labelstudio.core.models import Job
from tasks.exporters import schedules
from tests import factories, live

from .cases import TEXT_CONFIG, choice, text_tasks
from .conftest import build

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

HANG_GUARD = 300  # seconds; only stops a broken run from hanging the suite


def wait_for(predicate, what: str, procs=()):
    deadline = time.monotonic() + HANG_GUARD
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    output = "\n".join(p.output[-3000:] for p in procs)
    raise AssertionError(f"gave up waiting for {what}\n{output}")


def worker_env(tmp_path, **extra) -> dict:
    redis = settings.REDIS_URL or "redis://127.0.0.1:6379/4"
    return {
        "REDIS_URL": redis,
        "LABELSTUDIO_DATA_DIR": settings.DATA_DIR,
        "FAST_PASSWORD_HASHER": 1,
        "EXPORT_LOCAL_ROOTS": str(tmp_path / "targets"),
        **extra,
    }


def flush_queue():
    import redis

    redis.Redis.from_url(settings.REDIS_URL or "redis://127.0.0.1:6379/4").flushdb()


@contextmanager
def not_eager():
    """Send tasks to the broker even though this test process runs Celery eagerly."""
    from labelstudio.celery import app

    app.conf["CELERY_TASK_ALWAYS_EAGER"] = False  # the namespaced key is the one Celery reads
    try:
        yield
    finally:
        app.conf["CELERY_TASK_ALWAYS_EAGER"] = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.fixture
def users(db):
    return {"alice": factories.make_user("alice"), "bob": factories.make_user("bob")}


def test_beat_runs_two_periods_second_only_changed(users, tmp_path, settings):
    settings.EXPORT_LOCAL_ROOTS = [str(tmp_path / "targets")]
    project = build(TEXT_CONFIG, text_tasks(), users)
    schedule = schedules.schedule_create(
        project=project,
        created_by=users["alice"],
        format="JSON",
        interval_hours=3 / 3600,
        only_changed=True,
        target="local",
        local_path="beat",
        options={"only_completed": True},
    )
    flush_queue()
    env = worker_env(tmp_path)
    worker = live.celery_worker(env)
    beat = live.Process(
        [
            str(live.BIN / "celery"),
            "-A",
            "labelstudio",
            "beat",
            "--loglevel",
            "INFO",
            "--max-interval",
            "1",
            "-s",
            str(tmp_path / "beat-schedule"),
        ],
        live.base_env(DATABASE_URL=live.test_database_url(), CELERY_TASK_ALWAYS_EAGER=0, **env),
    )
    procs = (worker, beat)
    runs = schedules.schedule_jobs

    def finished_with_tasks(after: int = 0):
        return runs(schedule).filter(pk__gt=after, status="succeeded", result__tasks__gt=0).order_by("id").first()

    try:
        first = wait_for(finished_with_tasks, "the first scheduled run", procs)
        assert first.result["tasks"] == 3
        first_file = json.loads(Path(first.result["delivered_to"]).read_text())
        assert len(first_file) == 3

        changed = Completion.objects.filter(project=project, completed_by=users["bob"]).order_by("id").first()
        changed.result = [choice("Positive")]
        changed.save()

        second = wait_for(lambda: finished_with_tasks(first.pk), "a run after the change", procs)
        tasks = json.loads(Path(second.result["delivered_to"]).read_text())
        assert [t["id"] for t in tasks] == [changed.task_id]
        assert second.result["tasks"] == 1 and second.params["options"]["changed_since"]
        history = list(runs(schedule).order_by("id"))
        assert history[0].pk == first.pk and all(j.status == "succeeded" for j in history if j.pk <= second.pk)
        assert "tasks.run_export_schedule" in beat.output  # beat sent the ticks
    finally:
        schedules.schedule_update(schedule=schedule, enabled=False)
        beat.stop()
        worker.stop()


def test_s3_target_failure_is_retried(users, tmp_path, settings):
    import boto3

    settings.ALLOW_LOOPBACK_URLS = True
    port = live.free_port()
    endpoint = f"http://127.0.0.1:{port}"
    moto = live.Process([str(live.BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)], live.base_env())
    flush_queue()
    worker = live.celery_worker(
        worker_env(tmp_path, LABELSTUDIO_ALLOW_LOOPBACK_URLS=1, EXPORT_SCHEDULE_RETRY_SECONDS=3)
    )
    try:
        live.wait_http(endpoint)
        project = build(TEXT_CONFIG, text_tasks(), users)
        schedule = schedules.schedule_create(
            project=project,
            created_by=users["alice"],
            format="CSV",
            cron="0 4 * * *",
            target="s3",
            s3_bucket="exports",
            s3_prefix="nightly/",
            s3_endpoint=endpoint,
            s3_region="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )
        with not_eager():
            job = schedules.schedule_run(schedule=schedule)  # queued to the real worker

        def failed_once():
            row = Job.objects.get(pk=job.pk)
            assert row.status != "succeeded" and row.attempts < schedules.MAX_ATTEMPTS, row.error
            return row if "attempt 1 of 3 failed" in row.error else None

        row = wait_for(failed_once, "the first attempt to fail (no bucket yet)", (worker,))
        assert "NoSuchBucket" in row.error or "bucket" in row.error.lower()
        s3 = boto3.client(
            "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test"
        )
        s3.create_bucket(Bucket="exports")
        done = wait_for(lambda: Job.objects.filter(pk=job.pk, status__in=Job.FINISHED).first(), "the retry", (worker,))
        assert done.status == "succeeded", done.error
        assert done.attempts >= 2
        key = done.result["delivered_to"].removeprefix("s3://exports/")
        assert key.startswith("nightly/project-") and key.endswith(".csv")
        body = s3.get_object(Bucket="exports", Key=key)["Body"].read().decode()
        assert body.startswith('"annotation_id","annotator"') and "São Paulo" in body
    finally:
        worker.stop()
        moto.stop()
