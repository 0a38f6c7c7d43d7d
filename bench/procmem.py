"""Process memory for the benchmarks: the gunicorn ("web") and celery ("worker") processes under a
root process, read from /proc, and their peak RSS growth while a benchmark runs."""

from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def classify(root_pid: int) -> dict[int, str]:
    """{pid: "web" | "worker"} for the gunicorn and celery processes under root."""
    out = {}
    for pid in descendants(root_pid):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        group = "web" if "gunicorn" in cmd else "worker" if "celery" in cmd else None
        if group:
            out[pid] = group
    return out


def rss(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(match.group(1)) * 1024 if match else 0


class MemorySampler(threading.Thread):
    """Peak RSS growth per group: max over processes of (peak RSS - RSS at start). The process list
    is read once (and again every second): scanning /proc each sample would load the machine."""

    def __init__(self, root_pid: int, interval: float = 0.02):
        super().__init__(daemon=True)
        self.root_pid, self.interval = root_pid, interval
        self.groups = classify(root_pid)
        self.base = {pid: rss(pid) for pid in self.groups}
        self.peak = dict(self.base)
        self.stop_event = threading.Event()

    def run(self) -> None:
        last_scan = time.monotonic()
        while not self.stop_event.is_set():
            if time.monotonic() - last_scan > 1:
                self.groups, last_scan = classify(self.root_pid), time.monotonic()
            for pid in self.groups:
                self.peak[pid] = max(self.peak.get(pid, 0), rss(pid))
            time.sleep(self.interval)

    def growth_mb(self) -> dict[str, float]:
        self.stop_event.set()
        self.join()
        out = {}
        for group in ("web", "worker"):
            pids = [pid for pid, g in self.groups.items() if g == group]
            growth = max((self.peak.get(p, 0) - self.base.get(p, self.peak.get(p, 0)) for p in pids), default=0)
            out[group] = round(growth / 2**20, 1)
            out[f"{group}_peak_rss_mb"] = round(max((self.peak.get(p, 0) for p in pids), default=0) / 2**20, 1)
        return out


def pss(pid: int) -> int:
    """Proportional set size: shared pages (forked children, libraries) split among their users."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    match = re.search(r"^Pss:\s+(\d+) kB", rollup, re.M)
    return int(match.group(1)) * 1024 if match else 0


def tree_memory(root_pid: int) -> dict:
    """RSS and PSS summed over a process and all its descendants, per process and in all (MB)."""
    procs = []
    for pid in descendants(root_pid):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:
            continue
        procs.append(
            {"pid": pid, "cmd": cmd[:90], "rss_mb": round(rss(pid) / 2**20, 1), "pss_mb": round(pss(pid) / 2**20, 1)}
        )
    return {
        "processes": procs,
        "rss_mb": round(sum(p["rss_mb"] for p in procs), 1),
        "pss_mb": round(sum(p["pss_mb"] for p in procs), 1),
    }


def main() -> None:
    """Memory at rest of the embedded default: ``manage.py start`` (SQLite + filesystem broker) in a
    fresh data directory, measured --settle seconds after it answers, then stopped.

        .venv/bin/python bench/procmem.py [--settle 20] [-- extra start flags]
    """
    import argparse
    import json
    import signal
    import socket
    import subprocess
    import sys
    import tempfile
    import urllib.request

    parser = argparse.ArgumentParser(description=main.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--settle", type=float, default=20.0)
    parser.add_argument("extra", nargs="*", help="more flags for manage.py start")
    args = parser.parse_args()
    root = Path(__file__).resolve().parent.parent
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_TASK_ALWAYS_EAGER")}
    env.update(LABELSTUDIO_DATA_DIR=tempfile.mkdtemp(prefix="ls-procmem-"), LABELSTUDIO_PASSWORD="procmem-pass-1")
    cmd = [sys.executable, "manage.py", "start", "--port", str(port), *args.extra]
    proc = subprocess.Popen(
        cmd, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        for _ in range(600):
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1).status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        time.sleep(args.settle)
        report = tree_memory(proc.pid)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
    for p in report["processes"]:
        print(f"{p['pid']:>8} rss {p['rss_mb']:>7} MB  pss {p['pss_mb']:>7} MB  {p['cmd']}")
    print(json.dumps({"command": " ".join(cmd[1:]), "rss_mb": report["rss_mb"], "pss_mb": report["pss_mb"]}))


if __name__ == "__main__":
    main()
