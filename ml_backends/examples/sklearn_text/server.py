"""The HTTP side: stdlib ``http.server``, one thread per request, JSON in and out."""

from __future__ import annotations

import base64
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .model import ConfigError, ProjectModel

log = logging.getLogger("sklearn_text")
TRAIN_EVENTS = ("ANNOTATION_CREATED", "ANNOTATION_UPDATED")


class Backend:
    """Per-project models and the protocol's operations on them."""

    def __init__(self, fit_on_events: bool = False):
        self.models: dict[str, ProjectModel] = {}
        self.fit_on_events = fit_on_events
        self.lock = threading.Lock()
        self.events: list[str] = []

    @staticmethod
    def project_key(project) -> str:
        if isinstance(project, dict):
            return str(project.get("id"))
        return str(project or "").split(".")[0]

    def model(self, project, label_config: str | None) -> ProjectModel:
        key = self.project_key(project)
        with self.lock:
            model = self.models.get(key)
            if model is None or (label_config and label_config != model.label_config and model.pipeline is None):
                if not label_config:
                    raise ConfigError(f"project {key} is unknown here: call /setup first")
                model = self.models[key] = ProjectModel(label_config)
            return model

    def setup(self, body: dict) -> dict:
        return {"model_version": self.model(body.get("project"), body.get("schema")).version}

    def predict(self, body: dict) -> dict:
        model = self.model(body.get("project"), body.get("label_config"))
        context = (body.get("params") or {}).get("context") or body.get("context")
        return {"results": model.predict(body.get("tasks") or [], context), "model_version": model.version}

    def webhook(self, body: dict) -> dict:
        action = body.get("action")
        self.events.append(action)
        project = body.get("project") or {}
        model = self.model(project, project.get("label_config"))
        if action in TRAIN_EVENTS:
            model.add(body.get("annotation") or {}, body.get("task") or {})
            return model.fit() if self.fit_on_events else {"status": "stored", "examples": len(model.examples)}
        if action == "ANNOTATION_DELETED":
            model.forget(body.get("annotation") or {})
            return {"status": "forgotten"}
        if action == "START_TRAINING":
            return model.fit()
        return {"status": "ignored", "action": action}

    def train(self, body: dict) -> dict:
        model = self.model(body.get("project"), body.get("label_config"))
        for annotation in body.get("annotations") or []:
            model.add(annotation, annotation.get("task") or {})
        return model.fit()

    def versions(self, body: dict) -> dict:
        model = self.model(body.get("project"), None)
        return {"versions": list(model.versions), "current": model.version}


def make_handler(backend: Backend, basic_auth: str | None = None):
    expected = "Basic " + base64.b64encode(basic_auth.encode()).decode() if basic_auth else None
    routes = {
        "/setup": backend.setup,
        "/predict": backend.predict,
        "/webhook": backend.webhook,
        "/train": backend.train,
        "/versions": backend.versions,
    }

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out at once (no 40 ms delayed-ACK stall)

        def log_message(self, fmt, *args):
            log.info("%s %s", self.address_string(), fmt % args)

        def _send(self, status: int, body) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _authorized(self) -> bool:
            if expected and self.headers.get("Authorization") != expected:
                self._send(401, {"error": "authentication required"})
                return False
            return True

        def do_GET(self):  # noqa: N802 - http.server's naming
            if not self._authorized():
                return
            if self.path.split("?")[0] in ("/", "/health"):
                return self._send(200, {"status": "UP", "model_class": "TfidfLogisticRegression"})
            self._send(404, {"error": "not found"})

        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if not self._authorized():
                return
            route = routes.get(self.path.split("?")[0])
            if route is None:
                return self._send(404, {"error": "not found"})
            try:
                body = json.loads(raw or b"{}")
                return self._send(200 if self.path != "/webhook" else 201, route(body))
            except (ConfigError, ValueError, KeyError) as exc:
                return self._send(400, {"error": str(exc)})
            except Exception as exc:  # noqa: BLE001 - report, never kill the server
                log.exception("request failed")
                return self._send(500, {"error": f"{type(exc).__name__}: {exc}"})

    return Handler


def serve(host: str, port: int, *, basic_auth: str | None = None, fit_on_events: bool = False) -> None:
    server = ThreadingHTTPServer((host, port), make_handler(Backend(fit_on_events), basic_auth))
    server.daemon_threads = True
    print(f"sklearn_text ML backend listening on http://{host}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
