"""POST /api/projects/{id}/import and the import status endpoints."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from tests.conftest import client_for


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.fixture
def post(api, project, django_capture_on_commit_callbacks):
    def post(data=None, *, format=None, query="", **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return api.post(f"/api/projects/{project.pk}/import{query}", data, format=format, **kwargs)

    return post


def test_big_inputs_go_to_the_worker_and_the_request_returns_at_once(api, project, post, settings):
    settings.IMPORT_INLINE_MAX_BYTES = 10
    files = [SimpleUploadedFile("a.json", b'[{"text": "a"}]'), SimpleUploadedFile("b.csv", b"text\nb\nc\n")]
    response = post({"file": files}, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["import"] == body["job"]["id"] and body["job"]["status"] == "created"
    assert "task_count" not in body
    status = api.get(f"/api/projects/{project.pk}/imports/{body['import']}").json()  # the (eager) worker ran it
    assert status["status"] == "completed"
    assert (status["task_count"], status["rows_read"], status["error_count"], status["errors"]) == (3, 3, 0, [])
    assert status["progress"]["done"] == status["progress"]["total"] > 0
    assert status["phase"] == "done" and status["source"] == "files"
    assert [j["id"] for j in api.get(f"/api/projects/{project.pk}/imports").json()] == [body["import"]]


def test_small_inputs_are_imported_within_the_request(api, project, settings):
    """No worker involved (no on_commit callbacks run here): Label Studio clients import, then list."""
    response = api.post(f"/api/projects/{project.pk}/import", [{"text": "a"}, {"text": "b"}], format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["task_count"] == 2 and body["job"]["status"] == "completed"
    assert project.tasks.count() == 2
    response = api.post(f"/api/projects/{project.pk}/import", [{"txt": "a"}], format="json")
    assert response.status_code == 201  # the job is the answer, finished or not
    job = response.json()["job"]
    assert job["status"] == "failed" and "row 1, text: data key 'text' is missing" in job["error"]
    assert job["errors"][0]["key"] == "text" and response.json()["task_count"] == 0
    assert project.tasks.count() == 2


def test_json_body_list_and_object(api, project, post):
    assert post([{"text": "a"}, {"data": {"text": "b"}}], format="json").status_code == 201
    assert post({"data": {"text": "c"}, "predictions": []}, format="json").status_code == 201
    assert sorted(project.tasks.values_list("data__text", flat=True)) == ["a", "b", "c"]


def test_large_json_body_is_streamed_to_a_file(api, project, post):
    tasks = [{"text": f"t{i} " + "x" * 100} for i in range(15_000)]  # > 1 MiB
    body = json.dumps(tasks)
    assert len(body) > 1024 * 1024
    response = post(body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert project.tasks.count() == 15_000


def test_json_body_errors_are_reported_by_the_job(api, project, post, settings):
    settings.IMPORT_INLINE_MAX_BYTES = 0
    response = post('[{"text": "a"},\n{"text": }]', content_type="application/json")
    job = api.get(f"/api/projects/{project.pk}/imports/{response.json()['import']}").json()
    assert job["status"] == "failed" and "tasks.json" in job["error"] and "line 2" in job["error"]
    assert job["errors"][0]["line"] == 2
    assert project.tasks.count() == 0


def test_options_in_the_query(api, project, post):
    response = post([{"text": "ok"}, {"bad": 1}], format="json", query="?commit_mode=skip_bad_rows")
    job = api.get(f"/api/projects/{project.pk}/imports/{response.json()['import']}").json()
    assert job["status"] == "completed" and job["commit_mode"] == "skip_bad_rows"
    assert job["task_count"] == 1 and job["error_count"] == 1
    assert job["errors"][0] == {
        "file": "tasks.json",
        "row": 2,
        "line": None,
        "key": "text",
        "message": job["errors"][0]["message"],
    }


def test_bad_options_and_requests(api, project, post):
    response = post([{"text": "a"}], format="json", query="?commit_mode=maybe")
    assert response.status_code == 400 and response.json()["field"] == "commit_mode"
    assert post({}, format="multipart").status_code == 400
    response = post("text", content_type="text/plain")
    assert response.status_code == 415
    assert project.tasks.count() == 0


def test_url_body_is_checked_at_once(api, project, post, settings):
    settings.ALLOW_LOOPBACK_URLS = False
    response = post({"url": "http://127.0.0.1:9/tasks.json"}, format="json")
    assert response.status_code == 400 and "loopback" in response.json()["detail"]


def test_upload_limits(api, project, post, settings):
    settings.IMPORT_MAX_FILE_BYTES = 50
    response = post({"file": SimpleUploadedFile("a.json", b'[{"text": "' + b"x" * 100 + b'"}]')}, format="multipart")
    assert response.status_code == 413 and "limit of 50 bytes" in response.json()["detail"]
    settings.IMPORT_MAX_FILE_BYTES = 10_000
    settings.IMPORT_MAX_FILES = 2
    files = [SimpleUploadedFile(f"{i}.txt", b"x\n") for i in range(3)]
    response = post({"file": files}, format="multipart")
    assert response.status_code == 400 and "more than 2 files" in response.json()["detail"]
    assert project.tasks.count() == 0


def test_permissions(project, annotator, django_capture_on_commit_callbacks):
    from projects.services import membership_set

    outsider = factories.make_user("outsider")
    assert client_for(outsider).post(f"/api/projects/{project.pk}/import", [], format="json").status_code == 404
    membership_set(project=project, user=annotator, role="annotator")
    response = client_for(annotator).post(f"/api/projects/{project.pk}/import", [{"text": "a"}], format="json")
    assert response.status_code == 403
    assert client_for(annotator).get(f"/api/projects/{project.pk}/imports").status_code == 403
    assert project.tasks.count() == 0


def test_retry_endpoint(api, project, post, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_MAX_JSON_DEPTH = 1
    job_id = post([{"text": "a", "x": [1]}], format="json").json()["import"]
    assert api.get(f"/api/projects/{project.pk}/imports/{job_id}").json()["status"] == "failed"
    settings.IMPORT_MAX_JSON_DEPTH = 32
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/projects/{project.pk}/imports/{job_id}/retry")
    assert response.status_code == 200
    assert api.get(f"/api/projects/{project.pk}/imports/{job_id}").json()["status"] == "completed"
    assert api.post(f"/api/projects/{project.pk}/imports/{job_id}/retry").status_code == 409
    assert project.tasks.count() == 1
    assert api.get(f"/api/projects/{project.pk}/imports/999999").status_code == 404
