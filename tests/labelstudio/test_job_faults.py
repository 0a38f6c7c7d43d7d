"""Jobs under faults, with real workers (and their embedded beat, so the reaper runs) on real
Redis and PostgreSQL: a worker SIGKILLed mid-import and mid-export, two attempts of one import at
once. The reaper's interval and staleness are settings; these workers use about a second.

The worker is stopped at a known point by a lock the test holds (see test_import_worker_kill.py).
"""

from __future__ import annotations

import os
import re
import signal
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest

from labelstudio.core.jobs import job_retry
from labelstudio.core.models import Job
from tasks.celery_tasks import run_import
from tasks.exporters.services import export_create
from tests import factories, live
from tests.tasks.test_import_worker_kill import (
    N,
    assert_imported_exactly_once,
    backend_gone,
    not_eager,
    pg_url,
    predictions_locked,
    start_import,
    wait_for,
)
from tests.tasks.test_import_worker_kill import (
    setup as import_setup,
)

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]
setup = import_setup  # the fixture (a project, an N-task file, a flushed Redis DB)

FAST = {"JOB_STALE_SECONDS": 3, "JOB_HEARTBEAT_SECONDS": 0.5, "JOB_REAPER_SECONDS": 1}


def worker(env: dict, **kwargs) -> live.Process:
    return live.celery_worker({**env, **FAST}, beat=True, **kwargs)


def blocked(query_prefix: str) -> list[int]:
    """Backends of this database waiting on a lock while running ``query_prefix...``."""
    with psycopg.connect(pg_url()) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE %s "
            "AND datname = current_database()",
            (query_prefix + "%",),
        ).fetchall()
    return [r[0] for r in rows]


def outcomes(job: Job) -> list[tuple[int, str]]:
    job.refresh_from_db()
    return sorted((e["attempt"], e["outcome"]) for e in job.attempt_log)


def kill(proc: live.Process) -> None:
    os.killpg(proc.proc.pid, signal.SIGKILL)  # the whole worker: main process, pool and beat
    proc.proc.wait()


def test_worker_killed_mid_import_then_restarted_finishes_it_exactly_once(setup):
    manager, project, path, env = setup
    first = worker(env)
    second = None
    try:
        with predictions_locked():
            job = start_import(manager, project, path)
            backend = wait_for(lambda: blocked("COPY "), "the importer to block", (first,))[0]
            kill(first)
        wait_for(lambda: backend_gone(backend), "the killed worker's transaction to end")
        assert Job.objects.get(pk=job.pk).status == "running"  # nobody has noticed yet
        second = worker(env)  # nobody retries: the reaper on its beat finds the dead attempt
        wait_for(lambda: Job.objects.get(pk=job.pk).is_finished, "the reaped job", (second,))
        assert_imported_exactly_once(project, job)
        job.refresh_from_db()
        assert (job.attempts, job.requeues) == (2, 1)
        assert outcomes(job) == [(1, "lost"), (2, "succeeded")]
    finally:
        first.stop()
        if second:
            second.stop()


@contextmanager
def tasks_locked():
    """The export's first read (counting the tasks) waits while this is held."""
    with psycopg.connect(pg_url()) as conn:
        conn.execute("LOCK TABLE tasks_task IN ACCESS EXCLUSIVE MODE")
        yield
        conn.rollback()


def test_worker_killed_mid_export_then_restarted_writes_one_file(setup, settings):
    manager, project, path, env = setup
    from tasks.importers.services import import_from_path

    import_from_path(project=project, created_by=manager, path=path)  # inline: N + 1 tasks
    first = worker(env)
    second = None
    try:
        with tasks_locked():
            with not_eager():
                job = export_create(project=project, created_by=manager, format="JSON")
            backend = wait_for(lambda: blocked("SELECT COUNT"), "the export to block", (first,))[0]
            assert Job.objects.get(pk=job.pk).status == "running"
            kill(first)
        wait_for(lambda: backend_gone(backend), "the killed worker's transaction to end")
        second = worker(env)
        wait_for(lambda: Job.objects.get(pk=job.pk).is_finished, "the reaped export", (second,))
        job.refresh_from_db()
        assert job.status == "succeeded", job.error
        assert job.result["tasks"] == N + 1 and (job.attempts, job.requeues) == (2, 1)
        files = [p for p in (Path(settings.DATA_DIR) / "export" / str(project.pk)).iterdir()]
        assert [p.name for p in files] == [Path(job.result_file).name]  # one file, no partial left
        assert outcomes(job) == [(1, "lost"), (2, "succeeded")]
    finally:
        first.stop()
        if second:
            second.stop()


def test_two_export_attempts_at_once_leave_one_file(setup, settings):
    """An export blocked before it reads, a retry starts a second attempt beside it; both write a
    file, only the newest owns the job: the other deletes its file and ends superseded."""
    manager, project, path, env = setup
    for i in range(20):
        factories.make_task(project, {"text": f"t{i}"})
    proc = worker(env, concurrency=2)
    try:
        with tasks_locked():
            with not_eager():
                job = export_create(project=project, created_by=manager, format="JSON")
            wait_for(lambda: len(blocked("SELECT COUNT")) == 1, "the first attempt to block", (proc,))
            with not_eager():
                job_retry(job=Job.objects.get(pk=job.pk))
            wait_for(lambda: len(blocked("SELECT COUNT")) == 2, "the second attempt to block too", (proc,))
        wait_for(lambda: len(Job.objects.get(pk=job.pk).attempt_log) == 2, "both attempts to end", (proc,))
        job.refresh_from_db()
        assert job.status == "succeeded" and job.result["tasks"] == 21
        assert outcomes(job) == [(1, "superseded"), (2, "succeeded")]
        files = sorted(p.name for p in (Path(settings.DATA_DIR) / "export" / str(project.pk)).iterdir())
        assert files == [Path(job.result_file).name]
    finally:
        proc.stop()


def test_two_attempts_at_once_commit_once_and_the_other_is_superseded(setup):
    """The first attempt is alive (blocked before its commit) when a retry starts a second one
    in another pool process; both get to the commit; the row lock lets one through."""
    manager, project, path, env = setup
    proc = worker(env, concurrency=2)
    try:
        with predictions_locked():
            job = start_import(manager, project, path)
            wait_for(lambda: len(blocked("COPY ")) == 1, "the first attempt to block", (proc,))
            with not_eager():
                job_retry(job=Job.objects.get(pk=job.pk), celery_task=run_import)
            wait_for(lambda: len(blocked("COPY ")) == 2, "the second attempt to block too", (proc,))
        wait_for(lambda: len(Job.objects.get(pk=job.pk).attempt_log) == 2, "both attempts to end", (proc,))
        assert_imported_exactly_once(project, job)
        assert outcomes(job) == [(1, "superseded"), (2, "succeeded")]
        assert "superseded by a newer attempt" in proc.output
    finally:
        proc.stop()


def test_the_first_job_after_the_workers_connection_dropped_runs(setup):
    """The worker keeps its database connection between jobs (CONN_MAX_AGE); the server drops it
    while the worker is idle. The next job must run, not crash before it records anything."""
    from django.db import connection

    from tasks.importers.services import import_job_create

    manager, project, path, env = setup
    proc = live.celery_worker(env)
    try:
        for n in range(2):
            with not_eager():
                job = import_job_create(project=project, created_by=manager, tasks=[{"text": f"t{n}"}])
            wait_for(lambda job=job: Job.objects.get(pk=job.pk).is_finished, "the import", (proc,))
            assert Job.objects.get(pk=job.pk).status == "succeeded", Job.objects.get(pk=job.pk).error
            # run by the worker, not here (the import's follow-up search-index job succeeds there too)
            assert len(re.findall(r"Task tasks\.run_import\[[^]]+\] succeeded in", proc.output)) == n + 1
            with connection.cursor() as cursor:  # every other session of the test database: the worker's
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                )
                assert cursor.fetchall(), "the worker holds no connection to drop"
    finally:
        proc.stop()


def test_a_job_whose_message_redis_lost_is_sent_again_and_runs(setup, settings):
    """The job is queued, Redis loses its message (flushed, as a restart without persistence
    would), then a worker starts: the reaper sees the message gone and sends the job again."""
    import redis

    from tasks.importers.services import import_job_create

    manager, project, path, env = setup
    with not_eager():
        job = import_job_create(project=project, created_by=manager, tasks=[{"text": "lost"}])
    assert Job.objects.get(pk=job.pk).message_id
    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    Job.objects.filter(pk=job.pk).update(enqueued_at=job.created_at - timedelta(minutes=1))  # past the grace
    proc = worker(env)
    try:
        wait_for(lambda: Job.objects.get(pk=job.pk).is_finished, "the lost job", (proc,))
    finally:
        proc.stop()
    job.refresh_from_db()
    assert job.status == "succeeded" and job.requeues == 1 and project.tasks.filter(data__text="lost").count() == 1
