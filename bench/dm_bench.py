"""Benchmark: the data manager and the task API on a large project.

    .venv/bin/python bench/dm_bench.py --tasks 1000000 --db postgres [--reuse] [--out dm.json]
    .venv/bin/python bench/dm_bench.py --tasks 100000 --db sqlite

1. Fills a project with N text tasks (``{"text": "...", "n": i, "tags": [...]}``) written in bulk
   (COPY on PostgreSQL), every 50th task with a completion (5 annotators in turn; every 10th of
   them ground truth, every 3rd accepted), every 20th task with a prediction (model "v1", scores
   0.00-0.99), then VACUUM ANALYZE. PostgreSQL: its own database (--pg-name, default
   ``ls_bench_dm``; --reuse keeps a filled one). SQLite: a fresh data directory.
2. Starts ``gunicorn labelstudio.wsgi`` (1 worker, 2 threads, like the default) on loopback.
3. For each request below: --warmup unmeasured calls, then --requests sequential calls over one
   kept-alive connection; reports p50/p95/max in ms.
4. Runs each request once more inside this process with the queries captured, and prints the
   plan of its slowest statement (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN + time on
   SQLite): its "main query". --no-plans skips this; --only NAME[,NAME] runs some requests.

The machine is shared: the report includes the load average before and after each request so
noisy runs can be seen; run it on a quiet machine for the figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from next_task_bench import CONFIG, free_port, pct  # noqa: E402

WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]
ANNOTATORS = 5


def task_data(i: int) -> dict:
    # "zebra<k>" appears in ~1% of tasks (i % 100 == 7): the text filter's needle
    rare = f" zebra{i % 1000}" if i % 100 == 7 else ""
    text = f"Task {i}: the {WORDS[i % 10]} {WORDS[(i // 10) % 10]} crosses the river{rare}."
    return {"text": text, "n": i, "tags": [WORDS[i % 7]]}


# --- data ------------------------------------------------------------------------------------------
def setup(db: str, pg_name: str, data_dir: str) -> str:
    os.environ["LABELSTUDIO_DATA_DIR"] = data_dir
    os.environ["LOG_LEVEL"] = "WARNING"
    if db == "postgres":
        url = f"postgres://postgres@127.0.0.1:5432/{pg_name}"
        import psycopg

        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [pg_name]).fetchone():
                conn.execute(f'CREATE DATABASE "{pg_name}"')
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ.pop("REDIS_URL", None)
        url = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labelstudio.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def fill(n: int, reuse: bool) -> tuple[int, int]:
    """(project id, manager user id), filling the project unless a full one is reused."""
    from django.contrib.auth import get_user_model

    from projects.models import Membership, Project
    from projects.services import project_create
    from tasks.models import Task

    User = get_user_model()
    manager, _ = User.objects.get_or_create(username="dm-bench", defaults={"is_staff": True, "is_superuser": True})
    title = f"dm bench {n}"
    project = Project.objects.filter(title=title).order_by("-id").first() if reuse else None
    if project is not None and Task.objects.filter(project=project).count() == n:
        return project.pk, manager.pk
    project = project_create(created_by=manager, title=title, label_config=CONFIG)
    annotators = []
    for k in range(ANNOTATORS):
        user, _ = User.objects.get_or_create(username=f"dm-bench-annotator-{k}")
        Membership.objects.get_or_create(project=project, user=user, defaults={"role": "annotator"})
        annotators.append(user.pk)
    t0 = time.perf_counter()
    _tasks(project.pk, n)
    _completions_and_predictions(project.pk, annotators)
    print(f"filled {n} tasks in {time.perf_counter() - t0:.1f}s", flush=True)
    from tasks.search_index import index_project

    t0 = time.perf_counter()  # what the job queued after an import does (tasks/search_index.py)
    indexed = index_project(project.pk, wait=True)  # (and ANALYZEs what it wrote)
    print(f"search index: {indexed} tasks in {time.perf_counter() - t0:.1f}s", flush=True)
    return project.pk, manager.pk


def _tasks(project_id: int, n: int, chunk: int = 100_000) -> None:
    from django.db import connection

    cols = (
        "project_id, data, meta, is_labeled, total_annotations, cancelled_annotations, total_predictions,"
        " created_at, updated_at"
    )
    with connection.cursor() as cursor:
        for start in range(0, n, chunk):
            rows = range(start, min(n, start + chunk))
            if connection.vendor == "postgresql":
                buf = io.StringIO()
                for i in rows:
                    text = json.dumps(task_data(i), ensure_ascii=False).replace("\\", "\\\\")
                    buf.write(f"{project_id}\t{text}\t{{}}\tf\t0\t0\t0\tnow()\tnow()\n")
                with cursor.connection.cursor() as c, c.copy(f"COPY tasks_task ({cols}) FROM STDIN") as copy:
                    copy.write(buf.getvalue())
            else:
                now = time.strftime("%Y-%m-%d %H:%M:%S")
                cursor.executemany(
                    f"INSERT INTO tasks_task ({cols}) VALUES (%s, %s, '{{}}', 0, 0, 0, 0, %s, %s)",  # noqa: S608
                    [(project_id, json.dumps(task_data(i)), now, now) for i in rows],
                )


def _completions_and_predictions(project_id: int, annotators: list[int]) -> None:
    from django.db import connection, transaction

    from annotators.models import Completion
    from ml_backends.models import Prediction
    from tasks.models import Task
    from tasks.services import project_counters_refresh

    ids = list(Task.objects.filter(project_id=project_id).order_by("id").values_list("id", flat=True))
    result = [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}]
    with transaction.atomic():
        Completion.objects.bulk_create(
            (
                Completion(
                    task_id=pk,
                    project_id=project_id,
                    completed_by_id=annotators[k % len(annotators)],
                    result=result,
                    ground_truth=k % 10 == 0,
                    review_status="accepted" if k % 3 == 0 else "",
                    lead_time=1.0,
                )
                for k, pk in enumerate(ids[::50])
            ),
            batch_size=5000,
        )
        Prediction.objects.bulk_create(
            (
                Prediction(task_id=pk, project_id=project_id, model_version="v1", score=(k % 100) / 100, result=result)
                for k, pk in enumerate(ids[::20])
            ),
            batch_size=5000,
        )
    from projects.models import Project

    project_counters_refresh(Project.objects.get(pk=project_id))
    with connection.cursor() as cursor:
        for table in ("tasks_task", "annotators_completion", "ml_backends_prediction"):
            cursor.execute(f"VACUUM ANALYZE {table}" if connection.vendor == "postgresql" else f"ANALYZE {table}")


# --- requests ----------------------------------------------------------------------------------------
def requests_for(project_id: int, annotator_id: int) -> list[tuple[str, str]]:
    p = project_id
    dm, api = f"/projects/{p}/data/", f"/api/tasks?project={p}"
    return [
        ("dm first page", dm),
        ("dm text ~1%", f"{dm}?text=zebra"),
        ("dm text rare", f"{dm}?text=zebra417"),
        ("dm labeled", f"{dm}?is_labeled=1"),
        ("dm unlabeled", f"{dm}?is_labeled=0"),
        ("dm annotator", f"{dm}?annotator={annotator_id}"),
        ("dm ground truth", f"{dm}?has_ground_truth=1"),
        ("dm no ground truth", f"{dm}?has_ground_truth=0"),
        ("dm review accepted", f"{dm}?review_status=accepted"),
        ("dm model version", f"{dm}?model_version=v1"),
        ("dm score >= 0.9", f"{dm}?prediction_score_min=0.9"),
        ("dm score <= 0.1", f"{dm}?prediction_score_max=0.1"),
        ("dm sort completions desc", f"{dm}?sort=completions&desc=1"),
        ("dm sort predictions desc", f"{dm}?sort=predictions&desc=1"),
        ("dm sort updated desc", f"{dm}?sort=updated&desc=1"),
        ("dm sort created desc", f"{dm}?sort=created&desc=1"),
        ("dm sort score desc", f"{dm}?sort=score&desc=1"),
        ("dm sort id desc", f"{dm}?sort=id&desc=1"),
        # a common pattern under each sort (~1% of the tasks, none of them with a completion or a
        # prediction: a walk of a counter's index would cross every labeled or scored task first)
        ("dm text ~1% sort completions", f"{dm}?text=zebra&sort=completions&desc=1"),
        ("dm text ~1% sort predictions", f"{dm}?text=zebra&sort=predictions&desc=1"),
        ("dm text ~1% sort updated", f"{dm}?text=zebra&sort=updated&desc=1"),
        ("dm text ~1% sort score", f"{dm}?text=zebra&sort=score&desc=1"),
        ("dm text ~1% sort id desc", f"{dm}?text=zebra&sort=id&desc=1"),
        # the same first requests of a pattern (its matches not cached yet: each call after an edit
        # of one of the project's tasks, which moves the key of its cached matches)
        ("dm text ~1% uncached", f"{dm}?text=zebra"),
        ("dm text ~1% sort completions uncached", f"{dm}?text=zebra&sort=completions&desc=1"),
        ("api first page", api),
        ("api page 2000", f"{api}&page=2000&page_size=50"),
        ("api keyset page", f"{api}&after=__AFTER__&page_size=100"),
        ("api text ~1%", f"{api}&text=zebra"),
        ("api text ~1% order completions", f"{api}&text=zebra&ordering=-total_annotations"),
        ("api text ~1% order score", f"{api}&text=zebra&ordering=-predictions_score"),
        ("api text ~1% page 50", f"{api}&text=zebra&page=50&page_size=100"),
        ("api labeled", f"{api}&is_labeled=true"),
        ("api order completions", f"{api}&ordering=-total_annotations"),
        ("api order created", f"{api}&ordering=-created_at"),
        ("api order updated", f"{api}&ordering=-updated_at"),
        ("api order predictions", f"{api}&ordering=-total_predictions"),
        ("api order score", f"{api}&ordering=-predictions_score"),
        ("project list (counts)", "/api/projects/"),
        ("project page (counts)", f"/api/projects/{p}/"),
    ]


class Conn:
    def __init__(self, port: int, headers: dict):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.headers = headers

    def get(self, path: str) -> tuple[int, int]:
        self.conn.request("GET", path, headers=self.headers)
        r = self.conn.getresponse()
        body = r.read()
        return r.status, len(body)


def auth_headers(user_id: int) -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from rest_framework.authtoken.models import Token

    user = get_user_model().objects.get(pk=user_id)
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]  # one the settings accept
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    token = Token.objects.get_or_create(user=user)[0].key
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}", "Authorization": f"Token {token}"}


def start_server(port: int, data_dir: str) -> subprocess.Popen:
    import requests

    env = {**os.environ, "DB_CONN_MAX_AGE": "600", "LOG_LEVEL": "WARNING", "LABELSTUDIO_DATA_DIR": data_dir}
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "labelstudio.wsgi", "-w", "1", "-k", "gthread"]
        + ["--threads", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning", "--keep-alive", "60"],
        cwd=ROOT,
        env=env,
    )
    for _ in range(300):
        try:
            if requests.get(f"http://127.0.0.1:{port}/health", timeout=1).ok:
                return proc
        except requests.RequestException:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise SystemExit("gunicorn did not start")


def measure(conn: Conn, path: str, warmup: int, n: int, before=None) -> dict:
    """``before()``, if given, runs before each call, untimed."""
    load0 = os.getloadavg()[0]
    for _ in range(warmup):
        if before:
            before()
        conn.get(path)
    times, status, size = [], None, 0
    for _ in range(n):
        if before:
            before()
        t0 = time.perf_counter()
        status, size = conn.get(path)
        times.append(time.perf_counter() - t0)
    return {
        "status": status,
        "bytes": size,
        "p50": pct(times, 0.5),
        "p95": pct(times, 0.95),
        "max": pct(times, 1.0),
        "load": [round(load0, 2), round(os.getloadavg()[0], 2)],
    }


def edit_one_task(project_id: int) -> None:
    """Change one task's data and back (two commits): what an edit does to the project's cached
    search matches (tasks/search_hits.py: their key moves)."""
    from tasks.models import Task

    task = Task.objects.filter(project_id=project_id).order_by("id").first()
    data = dict(task.data)
    Task.objects.filter(pk=task.pk).update(data={**data, "edited": True})
    Task.objects.filter(pk=task.pk).update(data=data)


def main_query_plan(path: str, user_id: int) -> dict:
    """The slowest statement of one in-process run of the request, with its plan."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(pk=user_id))
    with CaptureQueriesContext(connection) as ctx:
        client.get(path, HTTP_HOST="127.0.0.1")
    best, settings = None, ""
    with connection.cursor() as cursor:
        for q in ctx.captured_queries:
            sql = q["sql"] or ""
            if sql.startswith("SET LOCAL statement_timeout"):  # a count's time budget (selectors), not a plan setting
                continue
            if sql.startswith("SET LOCAL"):  # planner settings of the next statement (selectors)
                settings = sql
                continue
            if not sql.lstrip().upper().startswith("SELECT") or "django_session" in sql:
                continue
            if "$1" in sql:  # a server-side-bound statement (selectors' raw reads): not the main query
                continue
            if connection.vendor == "postgresql":
                if re.search(r"\$\d", sql):  # a server-side bound statement (rawsql): its text has no values
                    settings = ""
                    continue
                with transaction.atomic():
                    if settings:
                        cursor.execute(settings)
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) " + sql)
                    plan = [r[0] for r in cursor.fetchall()]
                if settings:
                    plan.insert(0, f"-- with {settings}")
                settings = ""
                ms = float(plan[-1].split(":")[1].split("ms")[0])
            else:
                t0 = time.perf_counter()
                cursor.execute(sql)
                cursor.fetchall()
                ms = (time.perf_counter() - t0) * 1000
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
                plan = [f"{'  ' * 0}{r[-1]}" for r in cursor.fetchall()] + [f"Execution Time: {ms:.3f} ms"]
            if best is None or ms > best["ms"]:
                best = {"ms": round(ms, 2), "sql": sql, "plan": plan}
    return best or {"ms": 0, "sql": "", "plan": []}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--pg-name", default="ls_bench_dm", help="PostgreSQL database (created if missing)")
    parser.add_argument("--reuse", action="store_true", help="reuse a filled project of the same size")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--only", default="", help="comma-separated request names")
    parser.add_argument("--no-plans", action="store_true")
    parser.add_argument("--out")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix=f"ls-dm-bench-{args.db}-")
    setup(args.db, args.pg_name, data_dir)
    project_id, manager_id = fill(args.tasks, args.reuse)
    from django.contrib.auth import get_user_model

    from tasks.models import Task

    annotator = get_user_model().objects.get(username="dm-bench-annotator-1").pk
    middle = Task.objects.filter(project_id=project_id).order_by("id").values_list("id", flat=True)[args.tasks // 2]
    port = free_port()
    server = start_server(port, data_dir)
    results = []
    try:
        conn = Conn(port, auth_headers(manager_id))
        only = {s.strip() for s in args.only.split(",") if s.strip()}
        for name, path in requests_for(project_id, annotator):
            if only and name not in only:
                continue
            path = path.replace("__AFTER__", str(middle))
            edit = (lambda: edit_one_task(project_id)) if name.endswith(" uncached") else None
            row = {"name": name, "path": path, **measure(conn, path, args.warmup, args.requests, edit)}
            if not args.no_plans:
                if edit:
                    edit()
                row["main_query"] = main_query_plan(path, manager_id)
            results.append(row)
            print(
                f"{name:28} {row['status']} p50 {row['p50']:>8} ms  p95 {row['p95']:>8} ms  max {row['max']:>8} ms"
                f"  load {row['load']}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
        if args.db == "sqlite":
            shutil.rmtree(data_dir, ignore_errors=True)
    meta = {"tasks": args.tasks, "db": args.db, "cores": os.cpu_count(), "requests": args.requests}
    if args.out:
        Path(args.out).write_text(json.dumps({"meta": meta, "results": results}, indent=2))
    if not args.no_plans:
        for row in results:
            q = row["main_query"]
            print(f"\n### {row['name']}: {row['path']}  (main query {q['ms']} ms)\n{q['sql']}\n" + "\n".join(q["plan"]))
    print("\n| request | p50 ms | p95 ms | status |\n| --- | --- | --- | --- |")
    for row in results:
        print(f"| {row['name']} | {row['p50']} | {row['p95']} | {row['status']} |")
    failed = [row["name"] for row in results if row["status"] != 200]
    if failed:  # a redirect to the login page or an error is not a measurement
        raise SystemExit(f"not 200: {', '.join(failed)}")


if __name__ == "__main__":
    main()
