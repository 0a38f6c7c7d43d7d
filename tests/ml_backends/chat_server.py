"""A model server for ``<Chat llm=...>`` tests, run as a real process: its /predict answers the
conversation in ``params.context.messages`` with one assistant ``chatmessage`` ("Echo: <last user
message>") for the tag named in ``params.context.chat``. ``--bad`` answers a role the config refuses.

    python tests/ml_backends/chat_server.py --port N [--bad]
"""

from __future__ import annotations

import argparse
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARGS = None


def predict(body: dict) -> dict:
    context = (body.get("params") or {}).get("context") or {}
    messages = context.get("messages") or []
    last = next((m["content"] for m in reversed(messages) if m.get("role") == "user"), "")
    name = context.get("chat", "chat")
    role = "robot" if ARGS.bad else "assistant"
    results = [
        {
            "model_version": "echo-v1",
            "score": 1.0,
            "result": [
                {
                    "from_name": name,
                    "to_name": name,
                    "type": "chatmessage",
                    "value": {"chatmessage": {"role": role, "content": f"Echo: {last}"}},
                }
            ],
        }
        for _ in body.get("tasks") or []
    ]
    return {"results": results, "model_version": "echo-v1"}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _send(self, code: int, payload: dict):
        data = json.dumps(payload).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self._send(200, {"status": "UP", "model_class": "EchoChat"})

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        if self.path.startswith("/predict"):
            self._send(200, predict(body))
        else:
            self._send(200, {"status": "ok", "model_version": "echo-v1"})


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--bad", action="store_true")
    ARGS = p.parse_args()
    ThreadingHTTPServer(("127.0.0.1", ARGS.port), Handler).serve_forever()
