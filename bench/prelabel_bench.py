"""Benchmark: pre-labeling throughput of the platform with an instant model server.

    .venv/bin/python bench/prelabel_bench.py --tasks 20000 --batch-size 100 --concurrency 2

1. Creates a project with N text tasks in its own database (default ``ls_bench_ml``).
2. Starts the test suite's model server (tests/ml_backends/flaky_server.py, no failures) on
   loopback: it answers each /predict with one ``choices`` prediction per task, instantly.
3. Runs the real pre-labeling job (``ml_backends.prelabel.prelabel_run`` through
   ``core.jobs.job_run``: setup, keyset paging, batches in flight, validation against the
   config, bulk insert, bulk counter refresh) --repeat times, deleting the predictions between runs.
4. Measures the same batches sent straight to the server with no database work ("backend
   only"), so the platform's own overhead per task can be told apart from the HTTP round trips.
Prints JSON (and writes it with --out). Results: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices>
</View>"""


def setup_django(database_url: str, data_dir: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["LABELSTUDIO_DATA_DIR"] = data_dir
    os.environ["LABELSTUDIO_ALLOW_LOOPBACK_URLS"] = "1"  # the model server is on 127.0.0.1
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labelstudio.settings")
    sys.path.insert(0, str(ROOT))
    if database_url.startswith("postgres"):
        import psycopg

        base, name = database_url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def start_server() -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "ml_backends" / "flaky_server.py"), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    import requests

    for _ in range(100):
        try:
            requests.get(url + "/health", timeout=1)
            return proc, url
        except requests.RequestException:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the model server did not start")


def prepare(n_tasks: int, url: str):
    from django.contrib.auth import get_user_model

    from ml_backends.models import MLBackend
    from projects.models import Project
    from projects.services import project_create
    from tasks.models import Task

    user, _ = get_user_model().objects.get_or_create(username="bench-ml")
    Project.objects.filter(title="prelabel bench").delete()
    project = project_create(created_by=user, title="prelabel bench", label_config=CONFIG)
    words = "good bad fine awful great terrible okay".split()
    for start in range(0, n_tasks, 5000):
        Task.objects.bulk_create(
            [
                Task(project=project, data={"text": f"task {i} is {words[i % len(words)]}"})
                for i in range(start, min(n_tasks, start + 5000))
            ]
        )
    backend = MLBackend.objects.create(project=project, url=url, title="instant")
    return project, backend


def run_job(project, backend, batch_size: int, concurrency: int) -> tuple[float, dict]:
    from labelstudio.core.jobs import job_create, job_run
    from ml_backends.celery_tasks import run_prelabel
    from ml_backends.prelabel import prelabel_run

    job = job_create(
        kind="prelabel",
        celery_task=run_prelabel,
        project=project,
        enqueue=False,
        params={"ml_backend": backend.pk, "batch_size": batch_size, "concurrency": concurrency},
    )
    started = time.perf_counter()
    outcome = job_run(job.pk, prelabel_run)
    return time.perf_counter() - started, outcome


def backend_only(project, backend, batch_size: int) -> float:
    """The same batches, sent one after another with no database writes or validation."""
    from ml_backends.backends import client_for, project_ref

    tasks = list(project.tasks.order_by("id").values("id", "data", "meta"))
    client = client_for(backend, retries=0)
    ref = project_ref(project)
    started = time.perf_counter()
    for start in range(0, len(tasks), batch_size):
        result = client.predict(tasks=tasks[start : start + batch_size], project=ref, label_config=CONFIG)
        assert result.ok, result.error
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/ls_bench_ml")
    parser.add_argument("--data-dir", default="/tmp/ls-bench-ml")
    parser.add_argument("--out")
    args = parser.parse_args()

    setup_django(args.database_url, args.data_dir)
    from ml_backends.models import Prediction
    from tasks.models import Task

    server, url = start_server()
    try:
        project, backend = prepare(args.tasks, url)
        runs = []
        for _ in range(args.repeat):
            Prediction.objects.filter(project=project).delete()
            Task.objects.filter(project=project).update(total_predictions=0)
            seconds, outcome = run_job(project, backend, args.batch_size, args.concurrency)
            assert outcome["status"] == "succeeded" and outcome["predictions"] == args.tasks, outcome
            assert Task.objects.filter(project=project, total_predictions=1).count() == args.tasks
            runs.append(seconds)
        http_only = backend_only(project, backend, args.batch_size)
        project.delete()
    finally:
        server.terminate()
        server.wait()

    best, median = min(runs), statistics.median(runs)
    report = {
        "tasks": args.tasks,
        "batch_size": args.batch_size,
        "concurrency": args.concurrency,
        "database": args.database_url.split("://")[0],
        "runs_seconds": [round(r, 3) for r in runs],
        "tasks_per_second_median": round(args.tasks / median),
        "tasks_per_second_best": round(args.tasks / best),
        "per_task_ms_median": round(1000 * median / args.tasks, 4),
        "backend_only_seconds": round(http_only, 3),
        "backend_only_per_task_ms": round(1000 * http_only / args.tasks, 4),
        "platform_overhead_per_task_ms": round(1000 * (median - http_only) / args.tasks, 4),
    }
    print(json.dumps(report, indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
