"""Runs the embedded default's server processes (gunicorn and a Celery worker) until interrupted.

``manage.py start`` prepares the database, then replaces itself with this script (``os.execv``):
a plain Python process that imports neither Django nor Celery, so the process that waits costs
~10 MB instead of the ~110 MB of a loaded Django (docs/scaling.md, "The embedded default at rest").

    python -I supervise.py HEALTH_URL JSON_COMMANDS   (-I: this directory has a selectors.py)
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.request


def wait_until_up(health_url: str, procs: list[subprocess.Popen]) -> None:
    for _ in range(240):
        if any(p.poll() is not None for p in procs):
            return
        try:
            with urllib.request.urlopen(health_url, timeout=2):  # noqa: S310 - our own loopback URL
                return
        except OSError:
            time.sleep(0.25)


def main(health_url: str, commands: list[dict]) -> int:
    procs = [subprocess.Popen(c["argv"], cwd=c["cwd"], env=c["env"]) for c in commands]  # noqa: S603 - ours
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    wait_until_up(health_url, procs)
    url = health_url.removesuffix("health")
    print(f"labelstudio is up at {url}", flush=True)
    while not stopping and all(p.poll() is None for p in procs):
        time.sleep(0.5)
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
    if not stopping:
        print("a server process exited; see its output above", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], json.loads(sys.argv[2])))
