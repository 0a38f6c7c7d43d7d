"""Benchmark: export N tasks (1% of them with a completion) end to end, and the memory it takes.

    .venv/bin/python bench/export_bench.py --sizes 10000,100000,1000000 --formats JSON,CSV,COCO --db postgres
    .venv/bin/python bench/export_bench.py --sizes 100000 --formats JSON --mode service --profile

``--mode http`` (default) starts the platform with the real ``manage.py start`` (gunicorn + a
Celery worker) against a fresh database and data directory, then for each size and format POSTs
``/api/projects/{id}/exports/`` and polls the export until it is completed: seconds = POST start
-> export seen completed. RSS of the web and worker processes is sampled from /proc every 20 ms;
"+MB" is the peak growth over the RSS before the export.

``--mode service`` runs the export job (``job_run(export_run)``) in a fresh Python process per
run, without web server or broker: the same code minus the HTTP and queue hops, and the place
to profile it (``--profile``). Its "+MB" is the peak RSS (``VmHWM``) minus the RSS before the export.

Data goes straight into the database (COPY on PostgreSQL, bulk_create on SQLite): a text project
(JSON, JSONL, JSON_MIN, CSV, TSV, CONLL2003) and an image project (COCO, VOC, YOLO; 1,000 x 750
images that are not on disk, boxes carry their image size) per size. Results: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from procmem import MemorySampler, classify  # noqa: E402 - bench/ is the script dir

TEXT_CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
  <Choices name="sentiment" toName="text">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices>
</View>"""
IMAGE_CONFIG = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="box" toName="image"><Label value="Car"/><Label value="Person"/></RectangleLabels>
</View>"""
IMAGE_FORMATS = {"COCO", "VOC", "YOLO", "YOLO_OBB"}
PG_URL = "postgres://postgres@127.0.0.1:5432/{name}"


def text_result(i: int) -> list:
    return [
        {
            "id": f"n{i}",
            "from_name": "ner",
            "to_name": "text",
            "type": "labels",
            "value": {"start": 0, "end": 5, "text": "Small", "labels": ["PER"]},
        },
        {
            "id": f"c{i}",
            "from_name": "sentiment",
            "to_name": "text",
            "type": "choices",
            "value": {"choices": ["Positive"]},
        },
    ]


def image_result(i: int) -> list:
    return [
        {
            "id": f"b{i}",
            "from_name": "box",
            "to_name": "image",
            "type": "rectanglelabels",
            "original_width": 1000,
            "original_height": 750,
            "value": {"x": 10, "y": 20, "width": 30, "height": 40, "rotation": 0, "rectanglelabels": ["Car"]},
        }
    ]


# --- data ------------------------------------------------------------------------------------------
def setup_django(env: dict) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labelstudio.settings")
    import django

    django.setup()


def create_project(kind: str, n: int, every: int = 100) -> int:
    """A project with n tasks, every ``every``-th one with a completion (1%), written in bulk."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from annotators.models import Completion
    from projects.services import project_create
    from tasks.models import Task
    from tasks.services import project_counters_refresh

    user = get_user_model().objects.order_by("id").first()
    config = TEXT_CONFIG if kind == "text" else IMAGE_CONFIG
    project = project_create(created_by=user, title=f"bench {kind} {n}", label_config=config)
    now = datetime.now(UTC)

    def data(i):
        if kind == "text":
            return {"text": f"Small text task number {i}: the quick brown fox jumps over the lazy dog."}
        return {"image": f"/data/upload/bench/image-{i}.jpg"}

    result = text_result if kind == "text" else image_result
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            columns = (
                "project_id, data, meta, is_labeled, total_annotations, cancelled_annotations, "
                "total_predictions, created_at, updated_at"
            )
            with raw.copy(f"COPY {Task._meta.db_table} ({columns}) FROM STDIN") as copy:
                for i in range(n):
                    labeled = i % every == 0
                    copy.write_row((project.pk, json.dumps(data(i)), "{}", labeled, int(labeled), 0, 0, now, now))
            cursor.execute(f"SELECT id FROM {Task._meta.db_table} WHERE project_id = %s ORDER BY id", [project.pk])  # noqa: S608
            ids = [row[0] for row in cursor.fetchall()]
            columns = (
                "task_id, project_id, completed_by_id, result, was_cancelled, ground_truth, lead_time, "
                "version, review_status, review_comment, created_at, updated_at"
            )
            with raw.copy(f"COPY {Completion._meta.db_table} ({columns}) FROM STDIN") as copy:
                for i, task_id in enumerate(ids):
                    if i % every == 0:
                        copy.write_row(
                            (
                                task_id,
                                project.pk,
                                user.pk,
                                json.dumps(result(i)),
                                False,
                                False,
                                3.5,
                                1,
                                "",
                                "",
                                now,
                                now,
                            )
                        )
    else:
        for start in range(0, n, 10_000):
            Task.objects.bulk_create(
                [Task(project=project, data=data(i)) for i in range(start, min(n, start + 10_000))]
            )
        tasks = Task.objects.filter(project=project).order_by("id").values_list("id", flat=True)
        Completion.objects.bulk_create(
            [
                Completion(task_id=t, project=project, completed_by=user, result=result(i), lead_time=3.5)
                for i, t in enumerate(tasks)
                if i % every == 0
            ],
            batch_size=5000,
        )
        project_counters_refresh(project)
    connection.cursor().execute("ANALYZE") if connection.vendor == "postgresql" else None
    return project.pk


# --- one run in a fresh process (--mode service) ---------------------------------------------------
def run_one(project_id: int, fmt: str, profile: bool) -> dict:
    from labelstudio.core.jobs import job_create, job_run
    from labelstudio.core.models import Job
    from projects.models import Project
    from tasks.exporters.services import export_run

    project = Project.objects.get(pk=project_id)
    job = job_create(
        kind=Job.Kind.EXPORT, celery_task=None, project=project, params={"format": fmt, "options": {}}, enqueue=False
    )
    base = _rss_mb()
    started = time.monotonic()
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(job_run, job.pk, export_run)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    else:
        job_run(job.pk, export_run)
    seconds = time.monotonic() - started
    job.refresh_from_db()
    peak = _status_mb("VmHWM")  # not ru_maxrss: Linux carries that over from the parent across exec
    return {
        "status": job.status,
        "error": job.error,
        "seconds": round(seconds, 2),
        "tasks": job.result.get("tasks"),
        "file_mb": round((job.result.get("size") or 0) / 2**20, 1),
        "worker": round(peak - base, 1),
        "worker_peak_rss_mb": round(peak, 1),
    }


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _rss_mb() -> float:
    return _status_mb("VmRSS")


# --- the platform (--mode http) ----------------------------------------------------------------------
def http_export(platform, project_id: int, fmt: str) -> dict:
    sampler = MemorySampler(platform.proc.pid)
    sampler.start()
    started = time.monotonic()
    r = platform.session.post(
        f"{platform.url}/api/projects/{project_id}/exports/", json={"exportType": fmt}, timeout=600
    )
    r.raise_for_status()
    export_id = r.json()["id"]
    while True:
        export = platform.session.get(
            f"{platform.url}/api/projects/{project_id}/exports/{export_id}", timeout=30
        ).json()
        if export["status"] in ("completed", "failed"):
            break
        time.sleep(0.02)
    seconds = time.monotonic() - started
    memory = sampler.growth_mb()
    return {
        "status": export["job_status"],
        "error": export["error"],
        "seconds": round(seconds, 2),
        "tasks": export["counters"]["task_number"],
        "file_mb": round((export["size"] or 0) / 2**20, 1),
        **memory,
    }


class Platform:
    """``manage.py start`` (gunicorn + a Celery worker) on a fresh database and data directory."""

    def __init__(
        self, db: str, data_dir: Path, port: int, redis_url: str, serve: bool = True, db_name: str = "ls_bench_export"
    ):
        import requests

        self.url = f"http://127.0.0.1:{port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL"))}
        self.env.update(
            LABELSTUDIO_DATA_DIR=str(data_dir),
            LABELSTUDIO_PASSWORD="bench-pass-123",
            LOG_LEVEL="WARNING",
            CELERY_TASK_ALWAYS_EAGER="0",
            DJANGO_SETTINGS_MODULE="labelstudio.settings",
        )
        if db == "postgres":
            name = db_name
            for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
                subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)
            self.env.update(DATABASE_URL=PG_URL.format(name=name), REDIS_URL=redis_url)
        config = data_dir / "config.xml"
        config.write_text(TEXT_CONFIG)
        init = subprocess.run(
            [sys.executable, "manage.py", "start", "bench", "--init", "--label-config", str(config), "--no-serve"],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        self.proc = None
        if not serve:
            return
        self.session = requests.Session()
        token = re.search(r"API token: (\w+)", init.stdout).group(1)
        self.session.headers["Authorization"] = f"Token {token}"
        self.proc = subprocess.Popen(
            [sys.executable, "manage.py", "start", "--port", str(port)],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if (
                    self.session.get(f"{self.url}/health", timeout=2).ok
                    and "worker" in classify(self.proc.pid).values()
                ):
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        time.sleep(3)  # let the worker finish starting

    def stop(self) -> None:
        import signal

        if self.proc is None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--formats", default="JSON,CSV,COCO")
    parser.add_argument("--db", default="postgres", choices=["postgres", "sqlite"])
    parser.add_argument("--mode", default="http", choices=["http", "service"])
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--db-name", default="ls_bench_export", help="PostgreSQL database (dropped and created)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size and format (the best is reported)")
    parser.add_argument("--profile", action="store_true", help="service mode: cProfile the export")
    parser.add_argument("--every", type=int, default=100, help="one task in EVERY gets a completion (100 = 1%%)")
    parser.add_argument("--out")
    parser.add_argument("--run-one", nargs=2, metavar=("PROJECT", "FORMAT"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.run_one:
        setup_django({})
        print(json.dumps(run_one(int(args.run_one[0]), args.run_one[1], args.profile)))
        return

    data_dir = Path(tempfile.mkdtemp(prefix=f"ls-export-bench-{args.db}-"))
    platform = Platform(args.db, data_dir, args.port, args.redis_url, serve=args.mode == "http", db_name=args.db_name)
    setup_django({k: v for k, v in platform.env.items() if k in ("DATABASE_URL", "LABELSTUDIO_DATA_DIR", "REDIS_URL")})
    formats = [f.strip().upper() for f in args.formats.split(",")]
    results = []
    try:
        for n in [int(s) for s in args.sizes.split(",")]:
            projects = {}
            started = time.monotonic()
            for kind in {"image" if f in IMAGE_FORMATS else "text" for f in formats}:
                projects[kind] = create_project(kind, n, args.every)
            print(f"# {n} tasks created in {time.monotonic() - started:.1f} s", flush=True)
            for fmt in formats:
                project = projects["image" if fmt in IMAGE_FORMATS else "text"]
                best = None
                for _ in range(args.repeat):
                    if args.mode == "http":
                        run = http_export(platform, project, fmt)
                    else:
                        cmd = [sys.executable, __file__, "--run-one", str(project), fmt] + (
                            ["--profile"] if args.profile else []
                        )
                        out = subprocess.run(
                            cmd, env={**os.environ, **platform.env}, text=True, check=True, stdout=subprocess.PIPE
                        )
                        run = json.loads(out.stdout.strip().splitlines()[-1])
                    if best is None or run["seconds"] < best["seconds"]:
                        best = run
                row = {
                    "db": args.db,
                    "mode": args.mode,
                    "format": fmt,
                    "size": n,
                    "completions": -(-n // args.every),
                    **best,
                }
                results.append(row)
                print(json.dumps(row), flush=True)
    finally:
        platform.stop()
        shutil.rmtree(data_dir, ignore_errors=True)  # export files of a 1M-task run are gigabytes
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2))
    print(f"{'db':9} {'format':9} {'tasks':>8} {'seconds':>8} {'file MB':>8} {'worker +MB':>10} {'peak RSS MB':>11}")
    for r in results:
        print(
            f"{r['db']:9} {r['format']:9} {r['size']:>8} {r['seconds']:>8} {r['file_mb']:>8} {r['worker']:>10} "
            f"{r['worker_peak_rss_mb']:>11}"
        )


if __name__ == "__main__":
    main()
