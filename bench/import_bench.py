"""Benchmark: import N small text tasks end to end (file posted over HTTP -> job finished).

    .venv/bin/python bench/import_bench.py --sizes 10000,100000,1000000 --formats json,csv \
        --db postgres,sqlite [--out bench-import.json]

For each database it starts the platform with the real ``manage.py start`` (gunicorn + a Celery
worker) on loopback against a fresh database and data directory — PostgreSQL + Redis, or the
embedded default (SQLite + filesystem broker) — and for each format and size:

1. writes the task file (JSON: ``[{"text": ...}, ...]``; CSV: a ``text`` column),
2. POSTs it as multipart to ``/api/projects/{id}/import`` and polls ``/imports/{job}`` until the
   job is finished; tasks/s = tasks / (POST start -> job seen finished),
3. samples the RSS of every web and worker process from /proc every 20 ms and reports each
   group's peak growth over its RSS before the import.

Each run imports into a new project; with ``--repeat`` the best and the median run are reported (memory: the
largest growth of all runs). ``--search-toggle``: each run is made twice in turn, with the text-search
index (tasks/search_index.py; the run then also waits for its job to index the new tasks and reports
that time as ``index_seconds``) and without it (``manage.py task_search_index --drop``), so both
see the same machine load. ``--into-existing`` adds a last run: the 100k JSON file into
the project that already holds the largest import. Results: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from procmem import MemorySampler, classify

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text">
    <Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/>
  </Choices>
</View>"""
PG_URL = "postgres://postgres@127.0.0.1:5432/{name}"


def write_tasks(directory: Path, fmt: str, n: int) -> Path:
    path = directory / f"tasks-{n}.{fmt}"
    if path.exists():
        return path
    texts = (f"Small text task number {i}: the quick brown fox jumps over the lazy dog." for i in range(n))
    with path.open("w", encoding="utf-8", newline="") as f:
        if fmt == "json":
            f.write("[")
            for i, text in enumerate(texts):
                f.write(("," if i else "") + json.dumps({"text": text}))
            f.write("]")
        else:
            writer = csv.writer(f)
            writer.writerow(["text"])
            writer.writerows([t] for t in texts)
    return path


# --- the platform ----------------------------------------------------------------------------------
class Platform:
    def __init__(self, db: str, data_dir: Path, port: int, redis_url: str, pg_name: str = "ls_bench_import"):
        self.data_dir, self.port = data_dir, port
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL"))}
        self.env.update(
            LABELSTUDIO_DATA_DIR=str(data_dir),
            LABELSTUDIO_PASSWORD="bench-pass-123",
            LOG_LEVEL="WARNING",
            CELERY_TASK_ALWAYS_EAGER="0",
            DJANGO_SETTINGS_MODULE="labelstudio.settings",
        )
        if db == "postgres":
            name = pg_name
            subprocess.run(
                ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True
            )
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
            self.env.update(DATABASE_URL=PG_URL.format(name=name), REDIS_URL=redis_url)
        config = data_dir / "config.xml"
        config.write_text(CONFIG)
        self.url = f"http://127.0.0.1:{port}"
        init = subprocess.run(
            [sys.executable, "manage.py", "start", "bench", "--init", "--label-config", str(config), "--no-serve"],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        self.token = re.search(r"API token: (\w+)", init.stdout).group(1)
        self.proc = subprocess.Popen(
            [sys.executable, "manage.py", "start", "--port", str(port)],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Token {self.token}"
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

    def new_project(self, title: str) -> int:
        r = self.session.post(f"{self.url}/api/projects/", json={"title": title, "label_config": CONFIG}, timeout=30)
        r.raise_for_status()
        return r.json()["id"]

    def import_file(self, project: int, path: Path) -> dict:
        sampler = MemorySampler(self.proc.pid)
        sampler.start()
        started = time.monotonic()
        with path.open("rb") as f:
            r = self.session.post(
                f"{self.url}/api/projects/{project}/import", files={"file": (path.name, f)}, timeout=600
            )
        r.raise_for_status()
        job_id = r.json()["import"]
        posted = time.monotonic() - started
        while True:  # the job resource, not the import status (which lists every created task id)
            job = self.session.get(f"{self.url}/api/jobs/{job_id}", timeout=30).json()
            status = job["status"]
            if status in ("succeeded", "failed", "cancelled"):
                break
            time.sleep(0.05)
        elapsed = time.monotonic() - started
        memory = sampler.growth_mb()
        return {
            "status": status,
            "error": job["error"],
            "tasks": (job.get("result") or {}).get("task_count", 0),
            "seconds": round(elapsed, 2),
            "post_seconds": round(posted, 2),
            "worker_seconds": (job.get("result") or {}).get("duration"),
            "tasks_per_s": round((job.get("result") or {}).get("task_count", 0) / elapsed),
            **memory,
        }

    def manage(self, *args: str) -> str:
        out = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, check=True
        )
        return out.stdout

    def search_index(self, on: bool) -> None:
        self.manage("task_search_index", *(["--no-fill"] if on else ["--drop"]))

    def query(self, sql: str, params: tuple):
        url = self.env.get("DATABASE_URL")
        if url:
            import psycopg

            with psycopg.connect(url.replace("postgres://", "postgresql://")) as conn:
                return conn.execute(sql.replace("?", "%s"), params).fetchone()
        import sqlite3

        with sqlite3.connect(self.data_dir / "labelstudio.sqlite3") as conn:
            return conn.execute(sql, params).fetchone()

    def wait_indexed(self, project: int) -> float:
        """Seconds until the search index job has indexed the project's tasks (after the import)."""
        started = time.monotonic()
        top = self.query("SELECT MAX(id) FROM tasks_task WHERE project_id = ?", (project,))[0]
        while True:
            row = self.query("SELECT indexed_through FROM tasks_tasksearchmark WHERE project_id = ?", (project,))
            if row and row[0] >= top:
                return round(time.monotonic() - started, 2)
            if time.monotonic() - started > 600:
                return -1.0
            time.sleep(0.1)

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--formats", default="json,csv")
    parser.add_argument("--db", default="postgres,sqlite")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/3")
    parser.add_argument("--pg-name", default="ls_bench_import", help="PostgreSQL database (dropped and created)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size and format (best and median reported)")
    parser.add_argument("--into-existing", action="store_true")
    parser.add_argument("--search-toggle", action="store_true", help="each run with and without the search index")
    parser.add_argument("--out")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    files_dir = Path(tempfile.mkdtemp(prefix="ls-import-bench-files-"))
    results = []
    try:
        for db in args.db.split(","):
            data_dir = Path(tempfile.mkdtemp(prefix=f"ls-import-bench-{db}-"))
            platform = Platform(db, data_dir, args.port, args.redis_url, args.pg_name)
            largest = None
            try:
                for n in sizes:
                    for fmt in args.formats.split(","):
                        path = write_tasks(files_dir, fmt, n)
                        modes = [True, False] if args.search_toggle else [None]
                        runs: dict = {mode: [] for mode in modes}
                        for attempt in range(args.repeat):
                            for mode in modes:
                                if mode is not None:
                                    platform.search_index(mode)
                                project = platform.new_project(f"{fmt} {n} #{attempt} {mode}")
                                run = platform.import_file(project, path)
                                if mode:
                                    run["index_seconds"] = platform.wait_indexed(project)
                                print(json.dumps({"db": db, "search": mode, **run}), flush=True)
                                runs[mode].append(run)
                                if largest is None or n >= largest[1]:
                                    largest = (project, n)
                        for mode, done in runs.items():
                            best = min(done, key=lambda r: r["seconds"])
                            median = sorted(r["tasks_per_s"] for r in done)[len(done) // 2]
                            row = {
                                "db": db,
                                "format": fmt,
                                "size": n,
                                "search": mode,
                                "file_mb": round(path.stat().st_size / 2**20, 1),
                                **best,
                                "median_tasks_per_s": median,
                                "all_tasks_per_s": [r["tasks_per_s"] for r in done],
                                "runs": len(done),
                                "web": max(r["web"] for r in done),
                                "worker": max(r["worker"] for r in done),
                            }
                            if mode:
                                row["index_seconds"] = sorted(r["index_seconds"] for r in done)[len(done) // 2]
                            results.append(row)
                            print(json.dumps(row), flush=True)
                if args.into_existing and largest:
                    path = write_tasks(files_dir, "json", 100_000)
                    run = platform.import_file(largest[0], path)
                    row = {"db": db, "format": "json", "size": 100_000, "into_existing": largest[1], **run}
                    results.append(row)
                    print(json.dumps(row), flush=True)
            finally:
                platform.stop()
                shutil.rmtree(data_dir, ignore_errors=True)
    finally:
        shutil.rmtree(files_dir, ignore_errors=True)
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2))
    print(
        f"{'db':9} {'format':10} {'tasks':>8} {'best s':>7} {'best/s':>7} {'median/s':>8} {'web +MB':>8} {'worker +MB':>10}"
    )
    for r in results:
        label = r["format"] + ("*" if r.get("into_existing") else "")
        label += {True: "+idx", False: "-idx"}.get(r.get("search"), "")
        median = r.get("median_tasks_per_s", r["tasks_per_s"])
        print(
            f"{r['db']:9} {label:10} {r['size']:>8} {r['seconds']:>7} {r['tasks_per_s']:>7} {median:>8} "
            f"{r['web']:>8} {r['worker']:>10} {'' if r['status'] == 'succeeded' else r['status'] + ': ' + r['error']}"
        )


if __name__ == "__main__":
    main()
