"""A configurable model server (and webhook receiver) for tests, run as a real process:

    python tests/ml_backends/flaky_server.py --port N [--fail-every 7] [--hang-batch 3 --hang-seconds 4] ...

It speaks the ML backend protocol and answers one ``choices`` prediction per task. Failures are
decided per *distinct batch* (numbered by first sight of its first task id), and only on that
batch's first attempt, so a client that retries gets every prediction in the end. Every request
is recorded; ``GET /_requests`` returns them, ``GET /_stats`` the counters.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
SEEN: dict[int, int] = {}  # first task id -> batch number (1-based)
ATTEMPTS: dict[int, int] = {}
REQUESTS: list[dict] = []
STATS = {"predict_calls": 0, "failed": 0, "hung": 0, "hanging": 0, "mismatched": 0, "posts": 0}


def parse_args(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--version", default="flaky-v1")
    p.add_argument("--from-name", default="sentiment")
    p.add_argument("--to-name", default="text")
    p.add_argument("--label", default="Positive")
    p.add_argument("--score", type=float, default=0.5)
    p.add_argument("--fail-every", type=int, default=0, help="every K-th batch fails (500) on its first attempt")
    p.add_argument("--hang-batch", type=int, default=0, help="this batch hangs on its first attempt")
    p.add_argument("--hang-seconds", type=float, default=5.0)
    p.add_argument("--mismatch-batch", type=int, default=0, help="this batch answers one result short, once")
    p.add_argument("--invalid-every", type=int, default=0, help="tasks with id %% K == 0 get a label not in config")
    p.add_argument("--pad-bytes", type=int, default=0, help="pad /predict answers with this many bytes")
    p.add_argument("--no-webhook", action="store_true", help="/webhook answers 404 (an old backend)")
    p.add_argument("--fail-posts", type=int, default=0, help="the first N POSTs to other paths answer 503")
    p.add_argument("--delay", type=float, default=0.0, help="sleep this long in every /predict")
    return p.parse_args(argv)


ARGS = None


def predict(body: dict) -> tuple[int, dict]:
    tasks = body.get("tasks") or []
    first = tasks[0]["id"] if tasks else 0
    with LOCK:
        STATS["predict_calls"] += 1
        number = SEEN.setdefault(first, len(SEEN) + 1)
        ATTEMPTS[first] = attempt = ATTEMPTS.get(first, 0) + 1
    if ARGS.delay:
        time.sleep(ARGS.delay)
    if attempt == 1 and number == ARGS.hang_batch:
        STATS["hung"] += 1
        STATS["hanging"] += 1  # requests being held right now
        time.sleep(ARGS.hang_seconds)
        STATS["hanging"] -= 1
    if attempt == 1 and ARGS.fail_every and number % ARGS.fail_every == 0:
        STATS["failed"] += 1
        return 500, {"error": f"batch {number} fails once"}
    results = []
    for task in tasks:
        label = "NotALabel" if ARGS.invalid_every and task["id"] % ARGS.invalid_every == 0 else ARGS.label
        context = (body.get("params") or {}).get("context") or {}
        seeds = context.get("result") if isinstance(context, dict) else None
        result = seeds or [
            {"from_name": ARGS.from_name, "to_name": ARGS.to_name, "type": "choices", "value": {"choices": [label]}}
        ]
        results.append({"result": result, "score": ARGS.score})
    if attempt == 1 and number == ARGS.mismatch_batch:
        STATS["mismatched"] += 1
        results = results[:-1]
    answer = {"results": results, "model_version": ARGS.version}
    if ARGS.pad_bytes:
        answer["padding"] = "x" * ARGS.pad_bytes
    return 200, answer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once (no 40 ms delayed-ACK stall)

    def log_message(self, *args):
        pass

    def _send(self, status: int, body) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self):  # noqa: N802
        if self.path == "/_requests":
            with LOCK:
                return self._send(200, list(REQUESTS))
        if self.path == "/_stats":
            return self._send(200, {**STATS, "batches": len(SEEN)})
        if self.path in ("/", "/health"):
            return self._send(200, {"status": "UP"})
        self._send(404, {"error": "not found"})

    def do_POST(self):  # noqa: N802
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.loads(raw or b"{}")
        record = {
            "path": self.path,
            "authorization": self.headers.get("Authorization"),
            "headers": {k.lower(): v for k, v in self.headers.items()},
        }
        if self.path == "/predict":
            record["tasks"] = [t["id"] for t in body.get("tasks") or []]
            record["params"] = body.get("params")
        else:
            record["body"] = body
        with LOCK:
            REQUESTS.append(record)
        if self.path == "/predict":
            return self._send(*predict(body))
        if self.path == "/setup":
            return self._send(200, {"model_version": ARGS.version})
        if self.path == "/webhook" and ARGS.no_webhook:
            return self._send(404, {"error": "no /webhook here"})
        with LOCK:
            STATS["posts"] += 1
            failing = STATS["posts"] <= ARGS.fail_posts
        if failing:
            return self._send(503, {"error": "try again later"})
        self._send(201 if self.path == "/webhook" else 200, {"status": "ok"})


if __name__ == "__main__":
    ARGS = parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", ARGS.port), Handler)
    server.daemon_threads = True
    print(f"flaky server on {ARGS.port}", flush=True)
    server.serve_forever()
