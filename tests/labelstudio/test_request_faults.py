"""Requests under faults, against a real gunicorn on the test PostgreSQL: the broker (a Redis of
the test's own, on a free port) down while jobs and completions are created, and the database
dropping the server's connections (pg_terminate_backend) while annotators submit."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
import requests
from rest_framework.authtoken.models import Token

from annotators.models import Completion
from labelstudio.core.models import Job, OutboxMessage
from labelstudio.webhooks.models import Webhook
from projects.models import Membership
from projects.services import membership_set
from tests import factories, live
from tests.tasks.test_import_worker_kill import pg_url, wait_for

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

FAST = {"JOB_STALE_SECONDS": 3, "JOB_HEARTBEAT_SECONDS": 0.5, "JOB_REAPER_SECONDS": 1, "FAST_PASSWORD_HASHER": 1}
RESULT = [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}]


def session_for(user) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Token {Token.objects.get_or_create(user=user)[0].key}"
    return session


def redis_server(port: int) -> live.Process:
    proc = live.Process(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        live.base_env(),
    )
    proc.wait_for_line("Ready to accept connections", timeout=30)
    return proc


def test_broker_down_jobs_and_submits_answer_clearly_and_nothing_is_stuck(tmp_path, settings):
    """Redis is down: an import is accepted (201, queued, not yet sent), a completion is saved (201;
    its follow-up message waits in the outbox), /health says the broker is DOWN. Redis comes
    back and a worker starts: the reaper sends both, and the import finishes."""
    manager = factories.make_user("manager")
    annotator = factories.make_user("annotator")
    project = factories.make_project(created_by=manager)
    membership_set(project=project, user=annotator, role=Membership.Role.ANNOTATOR)
    task = factories.make_task(project)
    Webhook.objects.create(project=project, url="http://127.0.0.1:9/hook")  # a listener: submits emit
    redis_port, web_port = live.free_port(), live.free_port()
    env = {"REDIS_URL": f"redis://127.0.0.1:{redis_port}/0", "LABELSTUDIO_DATA_DIR": tmp_path, **FAST}
    web = live.web_server({**env, "IMPORT_INLINE_MAX_BYTES": 0}, web_port)
    broker = worker = None
    url = f"http://127.0.0.1:{web_port}"
    try:
        health = requests.get(f"{url}/health", timeout=10)
        assert health.status_code == 503 and health.json()["broker"].startswith("DOWN"), health.text
        assert health.json()["database"] == "UP"

        created = session_for(manager).post(f"{url}/api/projects/{project.pk}/import", json=[{"text": "new"}])
        assert created.status_code == 201, web.output[-4000:]
        job = Job.objects.get(pk=created.json()["import"])
        assert job.status == "queued" and job.enqueued_at is None  # kept for the reaper, not lost

        submitted = session_for(annotator).post(f"{url}/api/tasks/{task.pk}/annotations/", json={"result": RESULT})
        assert submitted.status_code == 201, submitted.text
        assert Completion.objects.filter(task=task).count() == 1
        assert OutboxMessage.objects.filter(task_name="webhooks.process_completion_event").count() == 1

        broker = redis_server(redis_port)
        worker = live.celery_worker(env, beat=True)
        wait_for(lambda: Job.objects.get(pk=job.pk).is_finished, "the reaper to send the job", (worker,))
        job.refresh_from_db()
        assert job.status == "succeeded" and job.result["task_count"] == 1, job.error
        wait_for(lambda: not OutboxMessage.objects.exists(), "the outbox to be delivered", (worker,))
        wait_for(lambda: "webhooks.process_completion_event" in worker.output, "the event to run", (worker,))
        assert requests.get(f"{url}/health", timeout=10).json()["broker"] == "UP"
    finally:
        for proc in (worker, web, broker):
            if proc:
                proc.stop()


def test_dropped_database_connections_during_submits_cost_no_500(tmp_path, settings):
    """A thread terminates the server's database connections four times a second while an
    annotator submits one completion per task, so some submits lose their connection between
    requests (health check) and some in the middle (run again): every submit answers 201 and each
    task ends with exactly one completion."""
    manager = factories.make_user("manager")
    annotator = factories.make_user("annotator")
    project = factories.make_project(created_by=manager)
    membership_set(project=project, user=annotator, role=Membership.Role.ANNOTATOR)
    tasks = [factories.make_task(project) for _ in range(60)]
    port = live.free_port()
    web = live.web_server({"REDIS_URL": settings.REDIS_URL, "LABELSTUDIO_DATA_DIR": tmp_path, **FAST}, port)
    stop = threading.Event()
    killed = []

    def terminate_server_connections():
        with psycopg.connect(pg_url(), autocommit=True) as conn:
            mine = {conn.execute("SELECT pg_backend_pid()").fetchone()[0]}
            while not stop.is_set():
                rows = conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> ALL(%s) AND backend_type = 'client backend'",
                    (list(mine | test_pids),),
                ).fetchall()
                killed.extend(rows)
                time.sleep(0.25)  # longer than a request: a retried one is not dropped again

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        test_pids = {cursor.fetchone()[0]}
    killer = threading.Thread(target=terminate_server_connections, daemon=True)
    session = session_for(annotator)
    statuses = []
    try:
        killer.start()
        for task in tasks:
            response = session.post(
                f"http://127.0.0.1:{port}/api/tasks/{task.pk}/annotations/", json={"result": RESULT}
            )
            statuses.append(response.status_code)
            time.sleep(0.01)
    finally:
        stop.set()
        killer.join()
        web.stop()
    assert killed, "the killer never found a connection to drop"
    (tmp_path / "web.log").write_text(web.output)
    assert statuses == [201] * len(tasks), (statuses, str(tmp_path / "web.log"))
    counts = [Completion.objects.filter(task=t).count() for t in tasks]
    assert counts == [1] * len(tasks)


def test_a_submit_whose_connection_is_dropped_mid_request_is_run_again(tmp_path, settings):
    """The submit is held inside its transaction (the test locks the completions table), its
    database session is terminated there, the lock released: the server runs the view again on
    a new connection and answers 201; the task has exactly one completion."""
    manager = factories.make_user("manager")
    annotator = factories.make_user("annotator")
    project = factories.make_project(created_by=manager)
    membership_set(project=project, user=annotator, role=Membership.Role.ANNOTATOR)
    task = factories.make_task(project)
    port = live.free_port()
    web = live.web_server({"REDIS_URL": settings.REDIS_URL, "LABELSTUDIO_DATA_DIR": tmp_path, **FAST}, port)
    answers = []
    session = session_for(annotator)
    url = f"http://127.0.0.1:{port}/api/tasks/{task.pk}/annotations/"
    submit = threading.Thread(target=lambda: answers.append(session.post(url, json={"result": RESULT}, timeout=60)))
    try:
        with psycopg.connect(pg_url()) as conn:
            conn.execute(f"LOCK TABLE {Completion._meta.db_table} IN EXCLUSIVE MODE")
            submit.start()
            pid = wait_for(lambda: blocked_backend(), "the submit to wait on the lock", (web,))
            conn.execute("SELECT pg_terminate_backend(%s)", (pid,))
            conn.rollback()
        submit.join()
    finally:
        web.stop()
    assert answers[0].status_code == 201, (answers[0].status_code, web.output[-3000:])
    assert "database connection lost" in web.output
    assert Completion.objects.filter(task=task).count() == 1


def blocked_backend() -> int | None:
    with psycopg.connect(pg_url()) as conn:
        row = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        ).fetchone()
    return row[0] if row else None
