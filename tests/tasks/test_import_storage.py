"""S3-compatible source storage against a real S3 server (moto_server on loopback)."""

import json

import boto3
import pytest
import requests

from tasks.models import S3ImportStorageLink
from tasks.storage.resolve import resolve_task_data
from tests import factories, live
from tests.conftest import client_for

pytestmark = pytest.mark.live

IMAGE_CONFIG = (
    '<View><Image name="img" value="$image"/>'
    '<Choices name="kind" toName="img"><Choice value="cat"/><Choice value="dog"/></Choices></View>'
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\1" * 32


@pytest.fixture(scope="module")
def s3_server():
    port = live.free_port()
    endpoint = f"http://127.0.0.1:{port}"
    process = live.Process([str(live.BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)], live.base_env())
    try:
        live.wait_http(endpoint)
        yield endpoint
    finally:
        process.stop()


@pytest.fixture
def bucket(s3_server, settings, tmp_path, request):
    settings.ALLOW_LOOPBACK_URLS = True
    settings.DATA_DIR = tmp_path
    client = boto3.client(
        "s3", endpoint_url=s3_server, region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s"
    )
    name = f"b{abs(hash(request.node.name)) % 10**8}"
    client.create_bucket(Bucket=name)
    return client, name


@pytest.fixture
def image_project(manager):
    return factories.make_project(created_by=manager, label_config=IMAGE_CONFIG)


@pytest.fixture
def sync(api, django_capture_on_commit_callbacks):
    def sync(storage_id, **body):
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post(f"/api/storages/s3/{storage_id}/sync", body, format="json")
        assert response.status_code == 201, response.content
        return api.get(f"/api/projects/{response.json()['job']['project']}/imports/{response.json()['import']}").json()

    return sync


def create(api, project, s3_server, bucket_name, **fields):
    body = {
        "project": project.pk,
        "bucket": bucket_name,
        "s3_endpoint": s3_server,
        "region_name": "us-east-1",
        "aws_access_key_id": "k",
        "aws_secret_access_key": "s",
        **fields,
    }
    response = api.post("/api/storages/s3/", body, format="json")
    assert response.status_code == 201, response.content
    assert "aws_secret_access_key" not in response.json()
    return response.json()["id"]


def test_media_objects_one_task_each_and_resync_adds_only_new(api, image_project, bucket, s3_server, sync, manager):
    client, name = bucket
    for key in ("imgs/a.png", "imgs/b.png", "imgs/notes.txt", "other/c.png"):
        client.put_object(Bucket=name, Key=key, Body=PNG)
    storage_id = create(
        api, image_project, s3_server, name, prefix="imgs/", regex_filter=r".*\.png$", use_blob_urls=True
    )
    job = sync(storage_id)
    assert job["status"] == "completed", job["error"]
    assert sorted(image_project.tasks.values_list("data__image", flat=True)) == [
        f"s3://{name}/imgs/a.png",
        f"s3://{name}/imgs/b.png",
    ]
    client.put_object(Bucket=name, Key="imgs/d.png", Body=PNG)
    job = sync(storage_id)
    assert job["status"] == "completed" and job["task_count"] == 1
    assert image_project.tasks.count() == 3
    job = sync(storage_id)
    assert job["status"] == "completed" and job["task_count"] == 0 and image_project.tasks.count() == 3
    storage = api.get(f"/api/storages/s3/{storage_id}").json()
    assert storage["last_sync_count"] == 0 and storage["last_sync"]
    assert S3ImportStorageLink.objects.filter(storage_id=storage_id).count() == 3


def test_resolve_presigned_and_proxied(api, image_project, bucket, s3_server, sync, annotator):
    from projects.services import membership_set

    client, name = bucket
    client.put_object(Bucket=name, Key="imgs/a.png", Body=PNG, ContentType="image/png")
    storage_id = create(api, image_project, s3_server, name, prefix="imgs/", use_blob_urls=True)
    sync(storage_id)
    task = image_project.tasks.get()
    url = resolve_task_data(image_project.pk, task.data)["image"]
    assert url == f"/api/storages/s3/{storage_id}/resolve?key=imgs%2Fa.png"
    membership_set(project=image_project, user=annotator, role="annotator")
    assert client_for(annotator).get(f"/api/tasks/{task.pk}/").json()["data"]["image"] == url
    assert client_for(annotator).get(f"/api/projects/{image_project.pk}/next").json()["data"]["image"] == url
    response = client_for(annotator).get(url)
    assert response.status_code == 302
    assert requests.get(response["Location"], timeout=10).content == PNG  # the presigned URL works
    api.patch(f"/api/storages/s3/{storage_id}", {"presign": False}, format="json")
    response = client_for(annotator).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    part = client_for(annotator).get(url, HTTP_RANGE="bytes=2-9")  # passed on to S3: seeking in media
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 2-9/{len(PNG)}"
    assert b"".join(part.streaming_content) == PNG[2:10]
    assert client_for(annotator).get(f"/api/storages/s3/{storage_id}/resolve?key=secret/x.png").status_code == 404
    outsider = factories.make_user("outsider")
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(annotator).get(f"/api/storages/s3/{storage_id}").status_code == 404  # managers only


def test_task_files_in_the_bucket(api, project, bucket, s3_server, sync):
    client, name = bucket
    client.put_object(Bucket=name, Key="tasks/1.json", Body=json.dumps([{"text": "a"}, {"text": "b"}]))
    client.put_object(Bucket=name, Key="tasks/2.csv", Body=b"text\nc\n")
    storage_id = create(api, project, s3_server, name, prefix="tasks/", use_blob_urls=False)
    job = sync(storage_id)
    assert job["status"] == "completed", job["error"]
    assert sorted(project.tasks.values_list("data__text", flat=True)) == ["a", "b", "c"]
    client.put_object(Bucket=name, Key="tasks/3.jsonl", Body=b'{"text": "d"}\n')
    assert sync(storage_id)["task_count"] == 1 and project.tasks.count() == 4


def test_bad_task_file_in_the_bucket_names_the_object(api, project, bucket, s3_server, sync):
    client, name = bucket
    client.put_object(Bucket=name, Key="t/good.json", Body=b'[{"text": "a"}]')
    client.put_object(Bucket=name, Key="t/bad.json", Body=b'[{"text": "a"},\n{"txt": "b"}]')
    storage_id = create(api, project, s3_server, name, prefix="t/")
    job = sync(storage_id)
    assert job["status"] == "failed"
    assert f"s3://{name}/t/bad.json, row 2, text: data key 'text' is missing" in job["error"]
    assert project.tasks.count() == 0 and not S3ImportStorageLink.objects.filter(storage_id=storage_id).exists()


def test_validate_and_errors(api, project, bucket, s3_server, settings):
    _, name = bucket
    base = {
        "project": project.pk,
        "s3_endpoint": s3_server,
        "region_name": "us-east-1",
        "aws_access_key_id": "k",
        "aws_secret_access_key": "s",
    }
    assert api.post("/api/storages/s3/validate", {**base, "bucket": name}, format="json").status_code == 200
    response = api.post("/api/storages/s3/validate", {**base, "bucket": "no-such-bucket"}, format="json")
    assert response.status_code == 400 and "bucket 'no-such-bucket' does not exist" in response.json()["detail"]
    response = api.post("/api/storages/s3/", {**base, "bucket": name, "regex_filter": "(["}, format="json")
    assert response.status_code == 400 and "regex_filter is not a valid regular expression" in response.json()["detail"]
    settings.ALLOW_LOOPBACK_URLS = False
    response = api.post("/api/storages/s3/", {**base, "bucket": name}, format="json")
    assert response.status_code == 400 and "loopback" in response.json()["detail"]


def test_storages_are_scoped_to_managed_projects(api, project, bucket, s3_server, annotator):
    _, name = bucket
    storage_id = create(api, project, s3_server, name)
    other = factories.make_project(created_by=annotator)
    assert [s["id"] for s in api.get(f"/api/storages/s3/?project={project.pk}").json()] == [storage_id]
    response = api.post("/api/storages/s3/", {"project": other.pk, "bucket": name}, format="json")
    assert response.status_code == 404
    assert client_for(annotator).get(f"/api/storages/s3/{storage_id}").status_code == 404


def test_csv_objects_are_series_tasks_for_a_url_timeseries(api, manager, bucket, s3_server, sync):
    config = (
        '<View><TimeSeriesLabels name="l" toName="ts"><Label value="Run"/></TimeSeriesLabels>'
        '<TimeSeries name="ts" value="$csv" valueType="url" timeColumn="t"><Channel column="a"/></TimeSeries></View>'
    )
    project = factories.make_project(created_by=manager, label_config=config)
    client, name = bucket
    client.put_object(Bucket=name, Key="series/one.csv", Body=b"t,a\n0,1\n1,2\n")
    client.put_object(Bucket=name, Key="series/two.tsv", Body=b"t\ta\n0\t1\n")
    storage_id = create(api, project, s3_server, name, prefix="series/", use_blob_urls=False)
    job = sync(storage_id)
    assert job["status"] == "completed", job["error"]
    assert sorted(project.tasks.values_list("data__csv", flat=True)) == [
        f"s3://{name}/series/one.csv",
        f"s3://{name}/series/two.tsv",
    ]
    assert sync(storage_id)["task_count"] == 0  # linked: a resync adds nothing
