"""Exports that include media include every media file of the project, whichever way it came in:
uploaded through the import API (stored under DATA_DIR/uploads/), a URL of this server, an S3
storage of the project. A file that cannot be included is a warning on the job ("completed with
warnings" in the API), never a silent success."""

import io
import json
import wave
import zipfile

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annotators.services import completion_create
from tasks.models import Task
from tests import factories
from tests.conftest import client_for
from tests.tasks.exporters.cases import AUDIO_CONFIG, box
from tests.tasks.exporters.conftest import run_export
from tests.tasks.test_import_storage import create, s3_server  # noqa: F401  (the moto S3 server fixture)

pytestmark = pytest.mark.django_db

IMAGE_CONFIG = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="box" toName="image"><Label value="Car"/></RectangleLabels>
</View>"""


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "data" / "media"


def png(width=40, height=30) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 200, 30)).save(out, "PNG")
    return out.getvalue()


def wav(seconds=0.5, rate=8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(rate)
        f.writeframes(b"\x00\x00" * int(rate * seconds))
    return out.getvalue()


def upload(manager, project, files: dict[str, bytes], django_capture_on_commit_callbacks) -> list[Task]:
    """Import media files the way users do: multipart upload to the import API."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(manager).post(
            f"/api/projects/{project.pk}/import",
            {"file": [SimpleUploadedFile(name, data) for name, data in files.items()]},
            format="multipart",
        )
    assert response.status_code == 201, response.content
    return list(Task.objects.filter(project=project).order_by("id"))


def label_boxes(project, tasks, user):
    for task in tasks:
        completion_create(task=task, user=user, result=[box(10, 10, 50, 50, "Car")])


@pytest.fixture
def image_project(manager):
    return factories.make_project(created_by=manager, label_config=IMAGE_CONFIG)


def test_uploaded_images_are_stored_where_export_finds_them(image_project, manager, django_capture_on_commit_callbacks):
    tasks = upload(manager, image_project, {"a.png": png(), "b.png": png(60, 20)}, django_capture_on_commit_callbacks)
    assert all(t.data["image"].startswith(f"/data/upload/{image_project.pk}/") for t in tasks)
    label_boxes(image_project, tasks, manager)

    coco = run_export(image_project, "COCO", include_images=True)
    assert sorted(coco) == ["images/a.png", "images/b.png", "result.json"]
    assert coco["images/a.png"] == png()
    doc = json.loads(coco["result.json"])
    assert [(i["width"], i["height"]) for i in doc["images"]] == [(40, 30), (60, 20)]

    yolo = run_export(image_project, "YOLO_WITH_IMAGES")
    assert {"images/a.png", "images/b.png", "labels/a.txt", "labels/b.txt"} <= set(yolo)
    assert run_export(image_project, "COCO_WITH_IMAGES").keys() == coco.keys()


def test_uploaded_audio_goes_into_the_asr_manifest_archive(manager, django_capture_on_commit_callbacks):
    project = factories.make_project(created_by=manager, label_config=AUDIO_CONFIG)
    (task,) = upload(manager, project, {"hello.wav": wav()}, django_capture_on_commit_callbacks)
    transcript = {"from_name": "transcript", "to_name": "audio", "type": "textarea", "value": {"text": ["hello"]}}
    completion_create(task=task, user=manager, result=[transcript])
    files = run_export(project, "ASR_MANIFEST", include_images=True)
    assert files["audio/hello.wav"] == wav()
    (line,) = files["manifest.json"].decode().splitlines()
    record = json.loads(line)
    assert (record["audio_filepath"], record["duration"], record["text"]) == ("audio/hello.wav", 0.5, "hello")


def test_urls_of_this_server_are_read_from_disk_but_not_other_projects_files(
    image_project, manager, settings, django_capture_on_commit_callbacks
):
    (task,) = upload(manager, image_project, {"a.png": png()}, django_capture_on_commit_callbacks)
    other = factories.make_project(created_by=manager, label_config=IMAGE_CONFIG)
    (theirs,) = upload(manager, other, {"secret.png": png()}, django_capture_on_commit_callbacks)
    settings.LABELSTUDIO_HOST = "https://label.example.org"
    own_url = f"https://label.example.org{task.data['image']}"
    local_url = f"http://localhost:8080{task.data['image']}"
    made = []
    for url in (own_url, local_url, theirs.data["image"]):
        made.append(Task.objects.create(project=image_project, data={"image": url}))
        completion_create(task=made[-1], user=manager, result=[box(1, 1, 5, 5, "Car")])
    Task.objects.filter(pk=task.pk).delete()
    files = run_export(image_project, "COCO", include_images=True)
    # the same file under both URLs of this server; the other project's upload is left out
    assert sorted(files) == [f"images/{made[1].pk}-a.png", "images/a.png", "result.json"]
    assert not any(name.endswith("secret.png") for name in files)


def test_a_file_that_cannot_be_included_makes_the_job_completed_with_warnings(
    image_project, manager, settings, django_capture_on_commit_callbacks
):
    tasks = upload(manager, image_project, {"a.png": png(), "gone.png": png()}, django_capture_on_commit_callbacks)
    label_boxes(image_project, tasks, manager)
    missing = settings.DATA_DIR / "uploads" / tasks[1].data["image"].removeprefix("/data/upload/")
    missing.unlink()
    api = client_for(manager)
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            f"/api/projects/{image_project.pk}/exports/",
            {"exportType": "COCO", "options": {"include_images": True}},
            format="json",
        )
    assert created.status_code == 201, created.content
    job = api.get(f"/api/projects/{image_project.pk}/exports/{created.json()['id']}").json()
    assert job["status"] == "completed"  # Label Studio's clients still download it
    assert job["completed_with_warnings"] is True and job["state"] == "completed with warnings"
    assert job["warning_count"] == len(job["warnings"]) >= 1
    assert {w["task"] for w in job["warnings"]} == {tasks[1].pk}
    assert any(w["message"].startswith("image not included") and "gone.png" in w["message"] for w in job["warnings"])
    download = api.get(job["download_url"])
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as zf:
        assert "images/a.png" in zf.namelist() and "images/gone.png" not in zf.namelist()
    clean = run_export(image_project, "JSON")  # no media asked: nothing to warn about
    assert json.loads(clean["result.json"])


def test_media_of_the_projects_s3_storage_is_downloaded_into_the_archive(image_project, manager, settings, request):
    endpoint = request.getfixturevalue("s3_server")
    settings.ALLOW_LOOPBACK_URLS = True
    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s"
    )
    client.create_bucket(Bucket="media-export")
    client.put_object(Bucket="media-export", Key="imgs/c.png", Body=png(33, 22))
    create(client_for(manager), image_project, endpoint, "media-export", prefix="imgs/")
    for uri in ("s3://media-export/imgs/c.png", "s3://media-export/imgs/missing.png", "s3://elsewhere/x.png"):
        task = Task.objects.create(project=image_project, data={"image": uri})
        completion_create(task=task, user=manager, result=[box(1, 1, 5, 5, "Car")])
    files = run_export(image_project, "COCO", include_images=True)
    assert files["images/c.png"] == png(33, 22)
    assert sorted(files) == ["images/c.png", "result.json"]
