"""URL imports (fetched by the worker) and idempotent re-runs of an import job."""

import http.server
import threading

import pytest

from labelstudio.core.exceptions import ApplicationError
from labelstudio.core.jobs import job_retry, job_run
from labelstudio.core.models import Job
from tasks.celery_tasks import run_import as run_import_task
from tasks.importers.services import import_run
from tests.tasks.importers.conftest import json_file, snapshot

FILES = {
    "/tasks.json": (b'[{"text": "from url 1"}, {"text": "from url 2"}]', "application/json"),
    "/export": (b"text\nfrom csv\n", "text/csv"),
    "/big.json": (b'[{"text": "' + b"x" * 5000 + b'"}]', "application/json"),
    "/broken.json": (b'[{"text": "a"}\n{"text": "b"}]', "application/json"),
}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/tasks.json")
            self.end_headers()
            return
        if self.path not in FILES:
            self.send_error(404)
            return
        body, content_type = FILES[self.path]
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def loopback_allowed(settings):
    settings.ALLOW_LOOPBACK_URLS = True


def test_url_of_a_task_file(project, run_import, server, loopback_allowed):
    job = run_import(project, url=f"{server}/tasks.json")
    assert job.status == "succeeded", job.error
    assert sorted(project.tasks.values_list("data__text", flat=True)) == ["from url 1", "from url 2"]


def test_url_format_from_content_type_and_redirects(project, run_import, server, loopback_allowed):
    job = run_import(project, url=f"{server}/export")
    assert job.status == "succeeded", job.error
    job = run_import(project, url=f"{server}/redirect")
    assert job.status == "succeeded", job.error
    assert project.tasks.count() == 3


def test_url_errors(project, run_import, server, loopback_allowed, settings):
    before = snapshot(project)
    job = run_import(project, url=f"{server}/missing.json")
    assert job.status == "failed" and job.error == f"{server}/missing.json: fetching the URL returned HTTP 404"
    job = run_import(project, url=f"{server}/broken.json")
    assert job.status == "failed" and "malformed JSON at line 2" in job.error
    settings.IMPORT_MAX_FILE_BYTES = 1000
    job = run_import(project, url=f"{server}/big.json")
    assert job.status == "failed" and "more than the limit of 1000 bytes" in job.error
    assert snapshot(project) == before


def test_private_addresses_are_refused(project, run_import, server, settings):
    settings.ALLOW_LOOPBACK_URLS = False
    with pytest.raises(ApplicationError, match="loopback address"):
        run_import(project, url=f"{server}/tasks.json")
    with pytest.raises(ApplicationError, match="private address"):
        run_import(project, url="http://10.1.2.3/tasks.json")
    with pytest.raises(ApplicationError, match="scheme must be http or https"):
        run_import(project, url="file:///etc/passwd")
    assert project.tasks.count() == 0


def test_redirect_to_a_private_address_is_refused(project, run_import, server, settings):
    settings.ALLOW_LOOPBACK_URLS = True
    job = run_import(project, url=f"{server}/redirect", enqueue=False)
    settings.ALLOW_LOOPBACK_URLS = False  # the worker checks again, every hop
    job_run(job.pk, import_run)
    job.refresh_from_db()
    assert job.status == "failed" and "loopback address" in job.error


def test_a_committed_job_run_again_writes_nothing(project, run_import):
    """The worker died after COMMIT but before the job row said so: the redelivered task must not
    import twice (the row is marked committed inside the import's transaction)."""
    job = run_import(project, files=[json_file("t.json", [{"text": "a"}, {"text": "b"}])])
    assert job.status == "succeeded" and job.result["committed"] is True
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, finished_at=None)  # as if killed there
    job_run(job.pk, import_run)
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result["task_count"] == 2
    assert project.tasks.count() == 2


def test_retry_after_a_failed_attempt(project, run_import, django_capture_on_commit_callbacks, settings):
    """A failed attempt wrote nothing; a retry (here after a limit was raised) imports exactly once."""
    settings.IMPORT_MAX_JSON_DEPTH = 2
    job = run_import(project, files=[json_file("t.json", [{"text": "a", "x": {"y": {"z": 1}}}, {"text": "b"}])])
    assert job.status == "failed" and project.tasks.count() == 0
    settings.IMPORT_MAX_JSON_DEPTH = 32
    with django_capture_on_commit_callbacks(execute=True):
        job_retry(job=job, celery_task=run_import_task)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert job.attempts == 2 and project.tasks.count() == 2


def test_leftovers_of_an_attempt_are_removed(project, run_import):
    """Belt and braces: rows carrying the job's id that are not committed results are deleted."""
    from tests import factories

    job = run_import(project, files=[json_file("t.json", [{"text": "a"}])], enqueue=False)
    factories.make_task(project, {"text": "leftover"}, import_job=job)
    job_run(job.pk, import_run)
    assert list(project.tasks.values_list("data__text", flat=True)) == ["a"]


def test_cancelled_import_writes_nothing(project, run_import):
    from django.core.cache import cache

    job = run_import(project, files=[json_file("t.json", [{"text": str(i)} for i in range(3000)])], enqueue=False)
    cache.set(f"job:{job.pk}:cancel", 1)  # what job_cancel sets for a running job
    job_run(job.pk, import_run)
    job.refresh_from_db()
    assert job.status == "cancelled" and project.tasks.count() == 0
