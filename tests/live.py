"""Helpers for tests that run real processes (servers, workers) on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_database_url() -> str:
    """DATABASE_URL of the database this test session uses (the test DB, not the configured one)."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    user = s.get("USER") or "postgres"
    return f"postgres://{user}@{host}:{port}/{s['NAME']}"


class Process:
    """A subprocess whose output is collected (for assertions and for failure messages)."""

    def __init__(self, args: list[str], env: dict, cwd: Path = ROOT):
        self.proc = subprocess.Popen(
            args,
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for_line(self, needle: str, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if needle in line:
                    return line
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"'{needle}' never appeared; output:\n{self.output[-4000:]}")

    def stop(self, sig: int = 15, timeout: float = 30) -> int:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait()
        return self.proc.returncode


def base_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))}
    env.update({k: str(v) for k, v in extra.items()})
    return env


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


def poll_job(session: requests.Session, url: str, timeout: float = 120) -> dict:
    """Poll a job URL until its status is final; return its JSON."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = session.get(url, timeout=10).json()
        if body.get("status") in ("succeeded", "failed", "cancelled", "completed"):
            return body
        time.sleep(0.3)
    raise AssertionError(f"job at {url} did not finish: {body}")


def web_server(env_extra: dict, port: int, threads: int = 4) -> Process:
    """gunicorn (one process, ``threads`` threads) serving the test database on ``port``."""
    env = base_env(DATABASE_URL=test_database_url(), CELERY_TASK_ALWAYS_EAGER=0, **env_extra)
    args = ["-b", f"127.0.0.1:{port}", "-w", "1", "--threads", str(threads), "--worker-class", "gthread"]
    proc = Process([str(BIN / "gunicorn"), "labelstudio.wsgi:application", *args], env)
    wait_http(f"http://127.0.0.1:{port}/user/login/")
    return proc


def celery_worker(env_extra: dict, concurrency: int = 1, beat: bool = False) -> Process:
    """A real Celery worker process for the test database (``beat``: with an embedded beat, so
    the reaper and other periodic tasks run)."""
    env = base_env(DATABASE_URL=test_database_url(), CELERY_TASK_ALWAYS_EAGER=0, **env_extra)
    return Process(
        [
            str(BIN / "celery"),
            "-A",
            "labelstudio",
            "worker",
            "--loglevel",
            "INFO",
            "--pool",
            "prefork",
            "--concurrency",
            str(concurrency),
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"test{free_port()}@%h",
            *(["-B", "--schedule", str(Path(env_extra.get("LABELSTUDIO_DATA_DIR", "/tmp")) / "beat")] if beat else []),
        ],
        env,
    )
