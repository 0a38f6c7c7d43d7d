"""Fixtures for ML backend tests: real model servers started as processes on loopback."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.live import ROOT, Process, base_env, free_port, wait_http

HERE = Path(__file__).resolve().parent
LSML_VENV = ROOT / ".venv-mlbackend"


@pytest.fixture
def loopback(settings):
    """Model servers in tests listen on 127.0.0.1; production refuses loopback by default."""
    settings.ALLOW_LOOPBACK_URLS = True
    return settings


class Servers:
    """Starts servers for one test and stops them all at its end."""

    def __init__(self):
        self.procs: list[Process] = []

    def start(self, args: list[str], *, python: str = sys.executable, health: str = "/health") -> str:
        port = free_port()
        proc = Process([python, *[a.replace("{port}", str(port)) for a in args]], base_env())
        self.procs.append(proc)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_http(url + health, timeout=60)
        except AssertionError as exc:
            raise AssertionError(f"{exc}; output:\n{proc.output[-3000:]}") from exc
        return url

    def flaky(self, *options: str) -> str:
        return self.start([str(HERE / "flaky_server.py"), "--port", "{port}", *options])

    def sklearn(self, *options: str) -> str:
        return self.start(["-m", "ml_backends.examples.sklearn_text", "--port", "{port}", *options])

    def lsml(self, model_dir: Path) -> str:
        python = LSML_VENV / "bin" / "python"
        if not python.exists():
            pytest.skip(f"{LSML_VENV} is missing: run ml_backends/examples/lsml/setup_venv.sh (make test does)")
        script = ROOT / "ml_backends" / "examples" / "lsml" / "_wsgi.py"
        return self.start([str(script), "--port", "{port}", "--model-dir", str(model_dir)], python=str(python))

    def stop(self):
        for proc in self.procs:
            proc.stop()


@pytest.fixture
def servers():
    s = Servers()
    yield s
    s.stop()
