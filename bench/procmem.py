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
