"""Label Studio's side of bench/dm_bench.py: the same project and requests against Label Studio.

    python3 -m venv /tmp/lsvenv && /tmp/lsvenv/bin/pip install label-studio==1.23.2 gunicorn
    .venv/bin/python bench/ls_dm_bench.py --ls-python /tmp/lsvenv/bin/python --tasks 1000000 \
        [--data-dir /tmp/ls-bench-1m] [--out ls.json]

Label Studio is installed in its own virtualenv (never in ours, never committed) and run on its
default database, SQLite, under gunicorn with the same worker layout as ours (1 worker, 2
threads: faster than its `label-studio start` dev server, so the comparison favours it).

1. `manage.py migrate`, a superuser with a known token, a project with dm_bench's config.
2. Tasks: 20 imported through Label Studio's own import API (so every column holds what Label
   Studio writes), then the N tasks copied from that row shape in bulk into its SQLite file with
   dm_bench's `task_data(i)` (1% hold "zebra"); every 50th gets an annotation copied from one
   made through its API, and its counters (`total_annotations`, `is_labeled`) as Label Studio
   keeps them. --data-dir keeps a filled instance for a re-run (the fill is skipped when the task
   count matches).
3. The requests of dm_bench that Label Studio has (its `/api/tasks` with `query=` filters and
   ordering, as its SDK sends them), each: warm-up, then sequential calls over one kept-alive
   connection; p50/p95 in ms.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from dm_bench import Conn, task_data  # noqa: E402
from next_task_bench import CONFIG, free_port, pct  # noqa: E402

TOKEN = "0123456789abcdef0123456789abcdef01234567"
EMAIL = "bench@example.com"

SETUP = f"""
from users.models import User
from organizations.models import Organization
from rest_framework.authtoken.models import Token
if not User.objects.filter(email={EMAIL!r}).exists():
    u = User.objects.create_superuser(email={EMAIL!r}, password="bench-pass-123")
    org = Organization.create_organization(created_by=u, title="bench")
    u.active_organization = org
    u.save()
    org.jwt.legacy_api_tokens_enabled = True  # new organizations default to JWT only
    org.jwt.save()
    Token.objects.filter(user=u).delete()
    Token.objects.create(user=u, key={TOKEN!r})
"""


def ls_env(ls_python: str, data_dir: str) -> tuple[dict, Path]:
    site = subprocess.check_output(
        [ls_python, "-c", "import label_studio, os; print(os.path.dirname(label_studio.__file__))"], text=True
    ).strip()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "core.settings.label_studio",
        "PYTHONPATH": site,
        "LABEL_STUDIO_BASE_DATA_DIR": data_dir,
        "DJANGO_DB": "sqlite",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "SECRET_KEY": "bench-secret",
        "SENTRY_DSN": "",
        "FRONTEND_SENTRY_DSN": "",
    }
    env.pop("DATABASE_URL", None)
    return env, Path(site)


def start(ls_python: str, env: dict, site: Path, port: int) -> subprocess.Popen:
    gunicorn = str(Path(ls_python).parent / "gunicorn")
    proc = subprocess.Popen(
        [gunicorn, "core.wsgi:application", "-w", "1", "-k", "gthread", "--threads", "2"]
        + ["-b", f"127.0.0.1:{port}", "--log-level", "warning", "--keep-alive", "60", "--timeout", "600"],
        cwd=site,
        env=env,
    )
    import requests

    for _ in range(600):
        try:
            if requests.get(f"http://127.0.0.1:{port}/health", timeout=2).ok:
                return proc
        except requests.RequestException:
            pass
        time.sleep(0.5)
    proc.terminate()
    raise SystemExit("Label Studio did not start")


def db_file(data_dir: str) -> Path:
    found = list(Path(data_dir).rglob("*.sqlite3"))
    if not found:
        raise SystemExit(f"no SQLite file under {data_dir}")
    return found[0]


def clone_rows(cur: sqlite3.Cursor, table: str, template: dict, rows) -> None:
    cols = [c for c in template if c != "id"]
    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"  # noqa: S608 - table and column names come from Label Studio's own schema
    cur.executemany(sql, ([{**template, **row}[c] for c in cols] for row in rows))


def fill(base: str, headers: dict, data_dir: str, n: int) -> int:
    import requests

    s = requests.Session()
    s.headers.update(headers)
    projects = s.get(f"{base}/api/projects").json()
    projects = projects.get("results", projects)
    if projects:
        pid = projects[0]["id"]
        con = sqlite3.connect(db_file(data_dir))
        have = con.execute("SELECT COUNT(*) FROM task WHERE project_id = ?", [pid]).fetchone()[0]
        con.close()
        if have >= n:
            print(f"reusing project {pid} with {have} tasks", flush=True)
            return pid
        raise SystemExit(f"{data_dir} holds a project of {have} tasks; use an empty --data-dir")
    pid = s.post(f"{base}/api/projects", json={"title": "bench", "label_config": CONFIG}).json()["id"]
    r = s.post(f"{base}/api/projects/{pid}/import", json=[task_data(i) for i in range(20)])
    r.raise_for_status()
    first = s.get(f"{base}/api/tasks", params={"project": pid, "page_size": 1}).json()["tasks"][0]
    result = [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}]
    s.post(f"{base}/api/tasks/{first['id']}/annotations", json={"result": result}).raise_for_status()
    t0 = time.time()
    con = sqlite3.connect(db_file(data_dir))
    con.row_factory = sqlite3.Row
    cur = con.cursor()
    task_row = dict(cur.execute("SELECT * FROM task WHERE id = ?", [first["id"]]).fetchone())
    ann_row = dict(cur.execute("SELECT * FROM task_completion WHERE task_id = ?", [first["id"]]).fetchone())
    cur.execute("DELETE FROM task_completion WHERE project_id = ?", [pid])
    cur.execute("DELETE FROM task WHERE project_id = ?", [pid])
    chunk = 100_000
    for start_i in range(0, n, chunk):
        rows = []
        for i in range(start_i, min(n, start_i + chunk)):
            labeled = i % 50 == 0
            rows.append(
                {
                    "data": json.dumps(task_data(i)),
                    "inner_id": i + 1,
                    "is_labeled": labeled,
                    "total_annotations": int(labeled),
                }
            )
        clone_rows(cur, "task", task_row, rows)
    con.commit()
    ids = [r[0] for r in cur.execute("SELECT id FROM task WHERE project_id = ? AND is_labeled = 1", [pid])]
    clone_rows(cur, "task_completion", ann_row, ({"task_id": t, "unique_id": str(uuid.uuid4())} for t in ids))
    con.commit()
    cur.execute("ANALYZE")
    con.commit()
    con.close()
    print(f"filled {n} tasks in {time.time() - t0:.1f}s", flush=True)
    return pid


def query(filters: list | None = None, ordering: list | None = None) -> str:
    q = {"filters": {"conjunction": "and", "items": filters or []}, "ordering": ordering or []}
    return urllib.parse.quote(json.dumps(q, separators=(",", ":")))


def requests_for(pid: int) -> list[tuple[str, str]]:
    api = f"/api/tasks?project={pid}"
    text = [{"filter": "filter:tasks:data.text", "operator": "contains", "type": "String", "value": "zebra"}]
    labeled = [{"filter": "filter:tasks:total_annotations", "operator": "greater", "type": "Number", "value": 0}]
    return [
        ("api first page", api),
        ("api page 2000", f"{api}&page=2000&page_size=50"),
        ("api text ~1%", f"{api}&query={query(text)}"),
        ("api labeled", f"{api}&query={query(labeled)}"),
        ("api order completions", f"{api}&query={query(ordering=['-tasks:total_annotations'])}"),
        ("api order created", f"{api}&query={query(ordering=['-tasks:created_at'])}"),
        ("api order updated", f"{api}&query={query(ordering=['-tasks:updated_at'])}"),
        ("api order predictions", f"{api}&query={query(ordering=['-tasks:total_predictions'])}"),
        ("project list (counts)", "/api/projects/"),
        ("project page (counts)", f"/api/projects/{pid}/"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ls-python", required=True, help="python of a virtualenv with label-studio + gunicorn")
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--data-dir", help="keep Label Studio's data here (reused when filled)")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--only", default="")
    parser.add_argument("--out")
    args = parser.parse_args()
    import requests

    data_dir = args.data_dir or tempfile.mkdtemp(prefix="ls-peer-bench-")
    os.makedirs(data_dir, exist_ok=True)
    env, site = ls_env(args.ls_python, data_dir)
    subprocess.run([args.ls_python, "manage.py", "migrate", "-v", "0"], cwd=site, env=env, check=True)
    subprocess.run([args.ls_python, "manage.py", "shell", "-c", SETUP], cwd=site, env=env, check=True)
    port = free_port()
    server = start(args.ls_python, env, site, port)
    headers = {"Authorization": f"Token {TOKEN}"}
    results = []
    try:
        pid = fill(f"http://127.0.0.1:{port}", headers, data_dir, args.tasks)
        conn = Conn(port, headers)
        only = {s.strip() for s in args.only.split(",") if s.strip()}
        for name, path in requests_for(pid):
            if only and name not in only:
                continue
            load0 = os.getloadavg()[0]
            for _ in range(args.warmup):
                conn.get(path)
            times, status = [], None
            for _ in range(args.requests):
                t0 = time.perf_counter()
                status, size = conn.get(path)
                times.append(time.perf_counter() - t0)
            row = {"name": name, "path": path, "status": status, "bytes": size}
            row |= {"p50": pct(times, 0.5), "p95": pct(times, 0.95), "max": pct(times, 1.0)}
            row["load"] = [round(load0, 2), round(os.getloadavg()[0], 2)]
            if status == 200 and path.startswith("/api/tasks"):  # the rows matched, to compare with ours
                row["total"] = requests.get(f"http://127.0.0.1:{port}{path}", headers=headers, timeout=600).json()[
                    "total"
                ]
            results.append(row)
            print(
                f"{name:28} {status} p50 {row['p50']:>9} ms  p95 {row['p95']:>9} ms  load {row['load']}  total {row.get('total')}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    if args.out:
        meta = {"tasks": args.tasks, "peer": "label-studio 1.23.2 (SQLite, gunicorn 1x2)", "cores": os.cpu_count()}
        Path(args.out).write_text(json.dumps({"meta": meta, "results": results}, indent=2))
    print("\n| request | p50 ms | p95 ms | status |\n| --- | --- | --- | --- |")
    for row in results:
        print(f"| {row['name']} | {row['p50']} | {row['p95']} | {row['status']} |")


if __name__ == "__main__":
    main()
