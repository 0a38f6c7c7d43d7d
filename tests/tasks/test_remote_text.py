"""GET /api/tasks/<id>/data-text?key=: the text behind a <Text valueType="url">, fetched by the server,
only for keys such a tag reads, through the private-address check, within the size limit."""

import http.server
import threading

import pytest

from tasks import remote_text
from tests import factories
from tests.conftest import client_for

CONFIG = """<View><Labels name="l" toName="t"><Label value="A"/></Labels>
  <Text name="t" value="$doc" valueType="url"/><Text name="inline" value="$note"/></View>"""
BODY = "Ünïcode text from afar.\nSecond line."


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        if self.path == "/hop":
            self.send_response(302)
            self.send_header("Location", "/doc.txt")
            self.end_headers()
            return
        if self.path != "/doc.txt":
            self.send_error(404)
            return
        body = BODY.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _task(manager, data):
    project = factories.make_project(created_by=manager, label_config=CONFIG)
    return factories.make_task(project, data)


def test_text_is_fetched_through_the_server(api, manager, server, settings):
    settings.ALLOW_LOOPBACK_URLS = True
    task = _task(manager, {"doc": f"{server}/hop", "note": f"{server}/doc.txt"})
    got = api.get(f"/api/tasks/{task.pk}/data-text", {"key": "doc"})
    assert got.status_code == 200, got.content
    assert got["Content-Type"] == "text/plain; charset=utf-8"
    assert got.content.decode() == BODY
    # a key no valueType="url" tag reads is no proxy, whatever it holds
    refused = api.get(f"/api/tasks/{task.pk}/data-text", {"key": "note"})
    assert refused.status_code == 400 and "note" in refused.json()["detail"]


def test_private_addresses_and_bad_urls_are_refused(api, manager, server, settings):
    settings.ALLOW_LOOPBACK_URLS = False
    settings.ALLOW_PRIVATE_URLS = False
    task = _task(manager, {"doc": f"{server}/doc.txt"})
    got = api.get(f"/api/tasks/{task.pk}/data-text", {"key": "doc"})
    assert got.status_code == 400 and "loopback" in got.json()["detail"]
    for value in ("file:///etc/passwd", "/data/upload/1/x.txt", 42):
        task = _task(manager, {"doc": value})
        got = api.get(f"/api/tasks/{task.pk}/data-text", {"key": "doc"})
        assert got.status_code == 400 and "http(s) URL" in got.json()["detail"], value


def test_errors_upstream_and_size_limit(api, manager, server, settings, monkeypatch):
    settings.ALLOW_LOOPBACK_URLS = True
    task = _task(manager, {"doc": f"{server}/missing.txt"})
    got = api.get(f"/api/tasks/{task.pk}/data-text", {"key": "doc"})
    assert got.status_code == 502 and "HTTP 404" in got.json()["detail"]
    monkeypatch.setattr(remote_text, "MAX_BYTES", 10)
    task = _task(manager, {"doc": f"{server}/doc.txt"})
    got = api.get(f"/api/tasks/{task.pk}/data-text", {"key": "doc"})
    assert got.status_code == 400 and "more than" in got.json()["detail"]


def test_only_members_read(manager, server, settings):
    settings.ALLOW_LOOPBACK_URLS = True
    task = _task(manager, {"doc": f"{server}/doc.txt"})
    outsider = factories.make_user("outsider", organization=factories.make_organization())
    assert client_for(outsider).get(f"/api/tasks/{task.pk}/data-text", {"key": "doc"}).status_code == 404
