"""Export API on Label Studio's paths: formats, direct download, export jobs (create, status,
download again, convert, delete), permissions."""

import csv as csv_module
import io
import json
import zipfile

import pytest

from projects.services import membership_set
from tests import factories
from tests.conftest import client_for

from .cases import IMAGE_CONFIG, TEXT_CONFIG, image_tasks, text_tasks
from .conftest import build


@pytest.fixture
def users(db):
    return {"alice": factories.make_user("alice"), "bob": factories.make_user("bob")}


@pytest.fixture
def text_project(users):
    return build(TEXT_CONFIG, text_tasks(), users)


@pytest.fixture
def manager_api(users):
    return client_for(users["alice"])  # build() makes the first user the project's manager


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_formats_follow_the_config(text_project, manager_api, media, users):
    formats = manager_api.get(f"/api/projects/{text_project.pk}/export/formats").json()
    enabled = {f["name"] for f in formats if not f["disabled"]}
    assert enabled == {"JSON", "JSONL", "JSON_MIN", "CSV", "TSV", "CONLL2003"}
    coco = next(f for f in formats if f["name"] == "COCO")
    assert set(coco) >= {"name", "title", "description", "link", "tags", "disabled"} and coco["disabled"]
    image = build(IMAGE_CONFIG, image_tasks(media), users)
    enabled = {
        f["name"] for f in manager_api.get(f"/api/projects/{image.pk}/export/formats").json() if not f["disabled"]
    }
    assert {"COCO", "COCO_WITH_IMAGES", "VOC", "YOLO", "YOLO_OBB", "BRUSH_TO_PNG"} <= enabled
    assert "CONLL2003" not in enabled and "ASR_MANIFEST" not in enabled


def test_direct_download_streams_label_studio_params(text_project, manager_api):
    url = f"/api/projects/{text_project.pk}/export"
    response = manager_api.get(url, {"exportType": "JSON"})
    assert response.status_code == 200 and response.streaming
    assert 'filename="project-' in response["Content-Disposition"]
    assert len(json.loads(body(response))) == 3  # by default, like Label Studio: tasks with completions
    everything = json.loads(body(manager_api.get(url, {"export_type": "JSON", "download_all_tasks": "true"})))
    assert len(everything) == 4
    first = everything[0]["id"]
    only = json.loads(body(manager_api.get(f"{url}?exportType=JSON&ids[]={first}&download_all_tasks=true")))
    assert [t["id"] for t in only] == [first]
    second = everything[1]["id"]
    both = json.loads(body(manager_api.get(f"{url}?exportType=JSON&ids={second},{first}&download_all_tasks=1")))
    assert [t["id"] for t in both] == [first, second]
    csv = body(manager_api.get(url, {"exportType": "CSV"})).decode()
    assert csv.splitlines()[0].startswith('"annotation_id","annotator"')
    archived = body(manager_api.get(url, {"exportType": "JSON", "archive": "true"}))
    assert zipfile.ZipFile(io.BytesIO(archived)).namelist() == ["result.json"]


def test_direct_download_refuses_unfit_format(text_project, manager_api):
    response = manager_api.get(f"/api/projects/{text_project.pk}/export", {"exportType": "COCO"})
    assert response.status_code == 400
    assert "COCO export is not available" in response.json()["detail"]
    assert manager_api.get(f"/api/projects/{text_project.pk}/export", {"exportType": "PDF"}).status_code == 400


def test_export_job_lifecycle(text_project, manager_api, django_capture_on_commit_callbacks):
    base = f"/api/projects/{text_project.pk}/exports/"
    with django_capture_on_commit_callbacks(execute=True):
        created = manager_api.post(
            base,
            {"title": "for training", "exportType": "JSON_MIN", "options": {"only_completed": True}},
            format="json",
        )
    assert created.status_code == 201, created.content
    export_id = created.json()["id"]
    detail = manager_api.get(f"{base}{export_id}").json()
    assert detail["status"] == "completed" and detail["title"] == "for training"
    # a skipped completion is exported (JSON keeps it); JSON-MIN then leaves it out, as Label Studio
    assert detail["counters"] == {"task_number": 3, "annotation_number": 5, "prediction_number": 1}
    assert detail["options"] == {"only_completed": True} and detail["md5"] and detail["expires_at"]
    listed = manager_api.get(base).json()
    assert [e["id"] for e in listed] == [export_id]

    for _ in range(2):  # the file is kept: download it again
        response = manager_api.get(f"{base}{export_id}/download")
        assert response.status_code == 200
        records = json.loads(body(response))
        assert len(records) == 4 and {"annotator", "sentiment", "ner"} <= set(records[0])

    assert manager_api.delete(f"{base}{export_id}").status_code == 204
    assert manager_api.get(f"{base}{export_id}").status_code == 404


def test_label_studio_create_body_and_convert(text_project, manager_api, django_capture_on_commit_callbacks):
    base = f"/api/projects/{text_project.pk}/exports"
    payload = {
        "title": "snap",
        "task_filter_options": {"only_with_annotations": True},
        "annotation_filter_options": {"usual": True, "ground_truth": True, "skipped": False},
        "serialization_options": {"predictions": {"only_id": False}},
    }
    with django_capture_on_commit_callbacks(execute=True):
        export = manager_api.post(base, payload, format="json").json()
    assert export["status"] == "created"  # the job runs after the request's transaction commits
    export = manager_api.get(f"{base}/{export['id']}").json()
    assert export["format"] == "JSON" and export["counters"]["task_number"] == 3
    with django_capture_on_commit_callbacks(execute=True):
        converted = manager_api.post(f"{base}/{export['id']}/convert", {"export_type": "CSV"}, format="json")
    assert converted.status_code == 200 and converted.json()["export_type"] == "CSV"
    formats = {
        c["export_type"]: c["status"] for c in manager_api.get(f"{base}/{export['id']}").json()["converted_formats"]
    }
    assert formats == {"JSON": "completed", "CSV": "completed"}
    csv = body(manager_api.get(f"{base}/{export['id']}/download", {"exportType": "CSV"})).decode()
    assert len(list(csv_module.reader(io.StringIO(csv)))) == 1 + 4  # header + one row per completion
    assert manager_api.get(f"{base}/{export['id']}/download", {"exportType": "TSV"}).status_code == 404


def test_failed_export_is_visible(text_project, manager_api, django_capture_on_commit_callbacks):
    from labelstudio.core.models import Job

    with django_capture_on_commit_callbacks(execute=True):
        export = manager_api.post(
            f"/api/projects/{text_project.pk}/exports/", {"exportType": "JSON"}, format="json"
        ).json()
    Job.objects.filter(pk=export["id"]).update(status="failed", error="disk full", result_file="")
    detail = manager_api.get(f"/api/projects/{text_project.pk}/exports/{export['id']}").json()
    assert detail["status"] == "failed" and detail["error"] == "disk full" and detail["download_url"] is None
    response = manager_api.get(f"/api/projects/{text_project.pk}/exports/{export['id']}/download")
    assert response.status_code == 404


def test_permissions(text_project, users, django_capture_on_commit_callbacks):
    reviewer, annotator, stranger = (factories.make_user(n) for n in ("reviewer", "annotator", "stranger"))
    membership_set(project=text_project, user=reviewer, role="reviewer")
    membership_set(project=text_project, user=annotator, role="annotator")
    base = f"/api/projects/{text_project.pk}/exports/"
    with django_capture_on_commit_callbacks(execute=True):
        export = client_for(users["alice"]).post(base, {}, format="json").json()

    api = client_for(reviewer)
    assert api.get(base).status_code == 200
    assert api.get(f"{base}{export['id']}/download").status_code == 200
    assert api.post(base, {}, format="json").status_code == 403
    assert api.delete(f"{base}{export['id']}").status_code == 403

    api = client_for(annotator)
    assert api.get(base).status_code == 403
    assert api.get(f"/api/projects/{text_project.pk}/export").status_code == 403

    api = client_for(stranger)
    for url in (
        base,
        f"{base}{export['id']}",
        f"/api/projects/{text_project.pk}/export/formats",
        f"/api/projects/{text_project.pk}/export",
    ):
        assert api.get(url).status_code == 404
