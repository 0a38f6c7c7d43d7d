"""Benchmark: next task → submit with many concurrent annotators against gunicorn + PostgreSQL.

    .venv/bin/python bench/next_task_bench.py --tasks 1000000 --clients 16 --duration 60

1. Creates (or reuses, with --reuse) a project with N tasks in its own database (default
   ``ls_bench``; tasks are written with COPY, ~1M rows in well under a minute), one user per
   client, overlap --overlap, sequential sampling.
2. Starts ``gunicorn labelstudio.wsgi -w W --threads T`` on loopback against that database.
3. Phase "single": one client alone for --single-seconds (the latency without queueing).
   Phase "label": --clients threads with kept-alive connections loop GET /api/projects/{id}/next →
   POST /api/tasks/{id}/annotations/ for --duration seconds: back to back (closed loop, the
   default), pausing --think-ms on average after each submit (annotators labeling), or with
   --burst all asking for their next task at the same instant, round after round.
4. Phase "submit": --submit-clients threads POST completions to disjoint tasks (no next-task),
   for --duration seconds: raw completion throughput.
5. Reports p50/p95/p99 latencies, requests/s, submits/s, and correctness from the database:
   tasks with more completions than their overlap, and tasks handed to more distinct users than
   the overlap allows (from the clients' own log). Prints JSON (and writes it with --out).
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices>
</View>"""
RESULT = [
    {"id": "b1", "from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}
]


class Client:
    """One annotator's kept-alive HTTP/1.1 connection. http.client, not requests: the load
    generator shares the 2 cores with the server, and requests costs ~3x the CPU per call."""

    def __init__(self, base: str, token: str):
        host, port = base.removeprefix("http://").split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=60)
        self.headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}

    def call(self, method: str, path: str, body=None) -> tuple[int, dict | None]:
        data = json.dumps(body) if body is not None else None
        try:
            self.conn.request(method, path, body=data, headers=self.headers)
            r = self.conn.getresponse()
            raw = r.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()  # reconnect on the next call
            return 0, None
        return r.status, (json.loads(raw) if raw else None)


def setup_django(database_url: str, data_dir: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["LABELSTUDIO_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labelstudio.settings")
    sys.path.insert(0, str(ROOT))
    _create_database(database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _create_database(database_url: str) -> None:
    import psycopg

    base, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(n_tasks: int, clients: int, overlap: int, reuse: bool) -> tuple[int, list[str]]:
    """Project id and one API token per client."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from rest_framework.authtoken.models import Token

    from annotators.models import Completion, Draft, TaskLock
    from projects.models import Membership, Project
    from projects.services import project_create
    from tasks.models import Task

    User = get_user_model()
    manager, _ = User.objects.get_or_create(username="bench-manager", defaults={"is_staff": True})
    title = f"bench {n_tasks}"
    project = Project.objects.filter(title=title).order_by("-id").first() if reuse else None
    if project is not None and Task.objects.filter(project=project).count() != n_tasks:
        project = None
    if project is None:
        project = project_create(created_by=manager, title=title, label_config=CONFIG, maximum_annotations=overlap)
        t0 = time.perf_counter()
        _copy_tasks(project.pk, n_tasks)
        print(f"filled {n_tasks} tasks in {time.perf_counter() - t0:.1f}s", flush=True)
    else:  # start from a clean queue
        with transaction.atomic():
            Completion.objects.filter(project=project).delete()
            Draft.objects.filter(project=project).delete()
            TaskLock.objects.filter(task__project=project).delete()
            Task.objects.filter(project=project, total_annotations__gt=0).update(
                total_annotations=0, cancelled_annotations=0, is_labeled=False
            )
            Task.objects.filter(project=project, is_labeled=True).update(is_labeled=False)
        Project.objects.filter(pk=project.pk).update(maximum_annotations=overlap)
    with connection.cursor() as cursor:
        # a clean start for every run: without VACUUM the previous runs' dead rows and index
        # entries pile up at the front of the queue and each run is slower than the last
        for table in ("tasks_task", "annotators_completion", "annotators_tasklock", "annotators_draft"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    tokens = []
    for i in range(clients):
        user, _ = User.objects.get_or_create(username=f"bench-annotator-{i}")
        Membership.objects.get_or_create(project=project, user=user, defaults={"role": "annotator"})
        tokens.append(Token.objects.get_or_create(user=user)[0].key)
    return project.pk, tokens


def _copy_tasks(project_id: int, n: int, chunk: int = 100_000) -> None:
    from django.db import connection

    cols = (
        "project_id, data, meta, is_labeled, total_annotations, cancelled_annotations, total_predictions, "
        "created_at, updated_at"
    )
    with connection.cursor() as cursor:
        raw = cursor.connection
        for start in range(0, n, chunk):
            buf = io.StringIO()
            for i in range(start, min(n, start + chunk)):
                text = json.dumps({"text": f"bench text number {i}"}).replace("\\", "\\\\")
                buf.write(f"{project_id}\t{text}\t{{}}\tf\t0\t0\t0\tnow()\tnow()\n")
            with raw.cursor() as c, c.copy(f"COPY tasks_task ({cols}) FROM STDIN") as copy:
                copy.write(buf.getvalue())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(
    database_url: str,
    data_dir: str,
    port: int,
    workers: int,
    threads: int,
    prepared: bool = False,
    worker_class: str = "gthread",
) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "LABELSTUDIO_DATA_DIR": data_dir,
        "DB_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
        "DB_PREPARED_STATEMENTS": "1" if prepared else "0",
    }
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "labelstudio.wsgi",
            "-w",
            str(workers),
            "-k",
            worker_class,
            *(["--threads", str(threads)] if worker_class == "gthread" else []),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--keep-alive",
            "30",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(300):
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode} (port {port} taken?)")
        try:
            if requests.get(f"http://127.0.0.1:{port}/health", timeout=1).ok:
                return proc
        except requests.RequestException:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise SystemExit("gunicorn did not start")


def cpu_seconds(gunicorn_pid: int) -> dict[str, float]:
    """CPU time used so far by gunicorn (master + workers), PostgreSQL backends and this client
    (from /proc; on a shared machine PostgreSQL's figure includes other users' queries)."""
    tick = os.sysconf("SC_CLK_TCK")
    totals = {"gunicorn": 0.0, "postgres": 0.0}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        ppid, used = int(fields[1]), (int(fields[11]) + int(fields[12])) / tick
        if int(entry) == gunicorn_pid or ppid == gunicorn_pid:
            totals["gunicorn"] += used
        elif name.startswith("postgres"):
            totals["postgres"] += used
    t = os.times()
    totals["client"] = t.user + t.system
    return totals


def cpu_delta(before: dict, after: dict, seconds: float) -> dict:
    """Cores used on average during a phase, per party."""
    return {k: round((after[k] - before[k]) / seconds, 2) for k in before}


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))] * 1000, 1)


def label_phase(
    base: str, project_id: int, tokens: list[str], duration: float, think: float = 0.0, burst: bool = False
) -> dict:
    """Clients loop next → submit. think: mean pause after each submit (uniform 0.5–1.5×);
    burst: all clients send each next at the same instant (a barrier per round)."""
    lock = threading.Lock()
    next_ms, submit_ms, served, errors = [], [], [], defaultdict(int)
    start_barrier = threading.Barrier(len(tokens))
    burst = threading.Barrier(len(tokens)) if burst else None

    def client(token: str):
        s = Client(base, token)
        next_path, mine_next, mine_submit, mine_served = f"/api/projects/{project_id}/next", [], [], []
        code, warm = s.call("GET", next_path)  # warm-up, not measured: first requests of a worker
        if code == 200:  # import modules and parse the config
            mine_served.append((warm["id"], token))
            s.call("POST", f"/api/tasks/{warm['id']}/annotations/", {"result": RESULT, "lead_time": 1.0})
        start_barrier.wait()
        end = time.perf_counter() + duration
        while time.perf_counter() < end:
            if burst:  # every annotator asks at the same instant
                try:
                    burst.wait(timeout=max(0.001, end - time.perf_counter()))
                except threading.BrokenBarrierError:
                    break
            t0 = time.perf_counter()
            code, task = s.call("GET", next_path)
            t1 = time.perf_counter()
            if code != 200:
                errors[f"next {code}"] += 1
                if code == 404:
                    break
                continue
            mine_next.append(t1 - t0)
            mine_served.append((task["id"], token))
            t2 = time.perf_counter()
            code, _ = s.call("POST", f"/api/tasks/{task['id']}/annotations/", {"result": RESULT, "lead_time": 1.0})
            if code != 201:
                errors[f"submit {code}"] += 1
                continue
            mine_submit.append(time.perf_counter() - t2)
            if think:
                time.sleep(random.uniform(0.5, 1.5) * think)  # an annotator labels for a while
        if burst:
            burst.abort()  # release the others when one stops
        with lock:
            next_ms.extend(mine_next)
            submit_ms.extend(mine_submit)
            served.extend(mine_served)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(tok,)) for tok in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    users_per_task = defaultdict(set)
    twice = 0
    for task_id, token in served:
        if token in users_per_task[task_id]:
            twice += 1
        users_per_task[task_id].add(token)
    return {
        "clients": len(tokens),
        "seconds": round(elapsed, 1),
        "next_requests": len(next_ms),
        "next_p50_ms": pct(next_ms, 0.5),
        "next_p95_ms": pct(next_ms, 0.95),
        "next_p99_ms": pct(next_ms, 0.99),
        "submit_p50_ms": pct(submit_ms, 0.5),
        "submit_p95_ms": pct(submit_ms, 0.95),
        "submits_per_s": round(len(submit_ms) / elapsed, 1),
        "errors": dict(errors),
        "served_to_same_user_twice": twice,
        "_users_per_task": {k: len(v) for k, v in users_per_task.items()},
    }


def submit_phase(base: str, task_ids: list[int], tokens: list[str], duration: float) -> dict:
    lock = threading.Lock()
    submit_ms, errors = [], defaultdict(int)
    barrier = threading.Barrier(len(tokens))

    def client(index: int, token: str):
        s = Client(base, token)
        mine = []
        barrier.wait()
        end = time.perf_counter() + duration
        for task_id in task_ids[index :: len(tokens)]:
            if time.perf_counter() >= end:
                break
            t0 = time.perf_counter()
            code, _ = s.call("POST", f"/api/tasks/{task_id}/annotations/", {"result": RESULT, "lead_time": 1.0})
            if code == 201:
                mine.append(time.perf_counter() - t0)
            else:
                errors[str(code)] += 1
        with lock:
            submit_ms.extend(mine)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i, tok)) for i, tok in enumerate(tokens)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    return {
        "clients": len(tokens),
        "seconds": round(elapsed, 1),
        "submits": len(submit_ms),
        "submits_per_s": round(len(submit_ms) / elapsed, 1),
        "submit_p50_ms": pct(submit_ms, 0.5),
        "submit_p95_ms": pct(submit_ms, 0.95),
        "errors": dict(errors),
    }


def over_assignment(project_id: int, users_per_task: dict[int, int], overlap: int) -> dict:
    from django.db.models import Count

    from annotators.models import Completion

    over_db = (
        Completion.objects.filter(project_id=project_id, was_cancelled=False)
        .values("task_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=overlap)
        .count()
    )
    dup = (
        Completion.objects.filter(project_id=project_id)
        .values("task_id", "completed_by_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    return {
        "tasks_over_overlap_in_db": over_db,
        "tasks_served_to_more_users_than_overlap": sum(1 for n in users_per_task.values() if n > overlap),
        "duplicate_completions_per_user_and_task": dup,
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tasks", type=int, default=1_000_000)
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--submit-clients", type=int, default=8)
    p.add_argument("--overlap", type=int, default=1)
    p.add_argument("--duration", type=float, default=30.0)
    p.add_argument("--think-ms", type=float, default=0.0, help="mean pause after each submit (0: closed loop)")
    p.add_argument("--burst", action="store_true", help="all clients ask for their next task at the same instant")
    p.add_argument("--single-seconds", type=float, default=10.0, help="first, one client alone (0: skip)")
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--worker-class", default="gthread", help="gunicorn worker class (gthread, sync)")
    p.add_argument("--port", type=int, default=0, help="default: a free port")
    p.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/ls_bench")
    p.add_argument("--prepared", action="store_true", help="DB_PREPARED_STATEMENTS=1 for the server")
    p.add_argument("--reuse", action="store_true", help="reuse a bench project of the same size")
    p.add_argument("--skip-submit-phase", action="store_true")
    p.add_argument("--out", help="write the JSON report here")
    args = p.parse_args()

    load_before = os.getloadavg()[0]
    data_dir = tempfile.mkdtemp(prefix="ls-bench-")
    setup_django(args.database_url, data_dir)
    project_id, tokens = prepare(args.tasks, max(args.clients, args.submit_clients), args.overlap, args.reuse)
    port = args.port or free_port()
    proc = start_gunicorn(
        args.database_url, data_dir, port, args.workers, args.threads, args.prepared, args.worker_class
    )
    base = f"http://127.0.0.1:{port}"
    try:
        single = label_phase(base, project_id, tokens[-1:], args.single_seconds) if args.single_seconds else None
        if single:
            single.pop("_users_per_task")
        before = cpu_seconds(proc.pid)
        label = label_phase(base, project_id, tokens[: args.clients], args.duration, args.think_ms / 1000, args.burst)
        label["cores_used"] = cpu_delta(before, cpu_seconds(proc.pid), label["seconds"])
        users_per_task = label.pop("_users_per_task")
        report = {
            "machine": f"{os.cpu_count()} cores, load {load_before:.1f} before the run",
            "tasks": args.tasks,
            "overlap": args.overlap,
            "gunicorn": f"-k {args.worker_class} -w {args.workers} --threads {args.threads}",
            "think_ms": args.think_ms,
            "burst": args.burst,
            "prepared_statements": args.prepared,
            "single_client": single,
            "label": label,
            "correctness": over_assignment(project_id, users_per_task, args.overlap),
        }
        if not args.skip_submit_phase:
            from tasks.models import Task

            free = list(
                Task.objects.filter(project_id=project_id, total_annotations=0, is_labeled=False)
                .order_by("-id")
                .values_list("pk", flat=True)[:200_000]
            )
            before = cpu_seconds(proc.pid)
            report["submit"] = submit_phase(base, free, tokens[: args.submit_clients], args.duration)
            report["submit"]["cores_used"] = cpu_delta(before, cpu_seconds(proc.pid), report["submit"]["seconds"])
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")


if __name__ == "__main__":
    main()
