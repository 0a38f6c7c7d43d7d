"""A real Celery worker is SIGKILLed in the middle of an import; the retried (or redelivered) job
completes with exactly the expected tasks — no duplicates, nothing half-written.

To kill it at a known point, the test holds an EXCLUSIVE lock on the predictions table: the
worker has written every task of the file inside its transaction and then waits to COPY the
completions (whose foreign key to predictions needs that table). That is the worst moment to die: all the rows exist, none is committed.
"""

from __future__ import annotations

import json
import os
import signal
import time
from contextlib import contextmanager

import psycopg
import pytest
from django.conf import settings

from annotators.models import Completion
from labelstudio.core.jobs import job_retry
from labelstudio.core.models import Job
from ml_backends.models import Prediction
from tasks.celery_tasks import run_import
from tasks.importers.services import import_job_create
from tasks.models import Task
from tests import factories, live

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

N = 3000
HANG_GUARD = int(os.environ.get("HANG_GUARD", 300))  # seconds; only stops a broken run from hanging the suite
RESULT = [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}]


def wait_for(predicate, what: str, procs=()):
    deadline = time.monotonic() + HANG_GUARD
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    with psycopg.connect(pg_url()) as conn:
        activity = conn.execute(
            "SELECT pid, state, wait_event_type, wait_event, left(query, 120) "
            "FROM pg_stat_activity WHERE datname = current_database()"
        ).fetchall()
    raise AssertionError(f"gave up waiting for {what}\n{activity}\n" + "\n".join(p.output[-3000:] for p in procs))


@contextmanager
def not_eager():
    from labelstudio.celery import app

    key = "CELERY_TASK_ALWAYS_EAGER"
    before = app.conf.changes.get(key, settings)  # settings: not set here (a sentinel)
    app.conf[key] = False
    try:
        yield
    finally:
        if before is settings:
            app.conf.changes.pop(key, None)  # leave it to the settings again, as other tests expect
        else:
            app.conf[key] = before


@pytest.fixture
def setup(tmp_path, settings):
    import redis

    settings.DATA_DIR = tmp_path
    redis.Redis.from_url(settings.REDIS_URL).flushdb()  # no stale messages from other runs
    manager = factories.make_user("manager")
    project = factories.make_project(created_by=manager)
    factories.make_task(project, {"text": "already here"})
    tasks = [
        {
            "data": {"text": f"task {i}"},
            "predictions": [{"result": RESULT, "score": 0.5}],
            **({"annotations": [{"result": RESULT}]} if i % 10 == 0 else {}),
        }
        for i in range(N)
    ]
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps(tasks))
    env = {"REDIS_URL": settings.REDIS_URL, "LABELSTUDIO_DATA_DIR": tmp_path, "FAST_PASSWORD_HASHER": 1}
    return manager, project, path, env


def pg_url() -> str:
    return live.test_database_url().replace("postgres://", "postgresql://")


@contextmanager
def predictions_locked():
    """Hold a lock that makes the importer wait before writing predictions."""
    with psycopg.connect(pg_url()) as conn:
        conn.execute("LOCK TABLE ml_backends_prediction IN EXCLUSIVE MODE")
        yield conn
        conn.rollback()


def blocked_importer() -> int | None:
    # the tasks are written; it waits on the lock (COPY of completions: their parent_prediction FK
    # check needs the predictions table)
    with psycopg.connect(pg_url()) as conn:  # not the locking one: activity is a snapshot per transaction
        row = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'COPY %' "
            "AND datname = current_database()"
        ).fetchone()
    return row[0] if row else None


def backend_gone(pid: int) -> bool:
    with psycopg.connect(pg_url()) as conn:
        return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone()[0] == 0


def assert_imported_exactly_once(project, job):
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert job.result["task_count"] == N and job.result["prediction_count"] == N
    assert project.tasks.count() == N + 1
    assert Task.objects.filter(import_job=job).count() == N
    assert len(set(project.tasks.values_list("data__text", flat=True))) == N + 1  # no duplicate
    assert Prediction.objects.filter(project=project).count() == N
    assert Completion.objects.filter(project=project).count() == N // 10
    assert project.tasks.filter(total_predictions=1).count() == N


def start_import(manager, project, path) -> Job:
    with not_eager(), path.open("rb") as f:
        return import_job_create(project=project, created_by=manager, files=[("tasks.json", f)])


def test_worker_killed_mid_import_then_retried(setup):
    manager, project, path, env = setup
    worker = live.celery_worker(env)
    second = None
    try:
        with predictions_locked():
            job = start_import(manager, project, path)
            backend = wait_for(blocked_importer, "the importer to block", (worker,))
            os.killpg(worker.proc.pid, signal.SIGKILL)  # the whole worker, main process and pool
            worker.proc.wait()
        wait_for(lambda: backend_gone(backend), "the killed worker's transaction to end")
        assert project.tasks.count() == 1 and not Prediction.objects.exists()  # nothing was committed
        assert Job.objects.get(pk=job.pk).status == "running"  # stuck: its worker is gone
        second = live.celery_worker(env)
        with not_eager():
            job_retry(job=job, celery_task=run_import)
        wait_for(lambda: Job.objects.get(pk=job.pk).is_finished, "the retried job", (second,))
        assert_imported_exactly_once(project, job)
        assert Job.objects.get(pk=job.pk).attempts == 2
    finally:
        worker.stop()
        if second:
            second.stop()


def test_pool_process_killed_then_redelivered(setup):
    """Only the pool process dies: the message (acks_late, reject_on_worker_lost) goes back to the
    queue and the same worker's new pool process runs the job again."""
    manager, project, path, env = setup
    worker = live.celery_worker(env)
    try:
        with predictions_locked():
            job = start_import(manager, project, path)
            backend = wait_for(blocked_importer, "the importer to block", (worker,))
            children = [p for p in live_children(worker.proc.pid)]
            assert len(children) == 1
            os.kill(children[0], signal.SIGKILL)
        wait_for(lambda: Job.objects.get(pk=job.pk).is_finished, "the redelivered job", (worker,))
        assert backend_gone(backend)
        assert_imported_exactly_once(project, job)
        assert Job.objects.get(pk=job.pk).attempts == 2
    finally:
        worker.stop()


def live_children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat").read()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
    return out
