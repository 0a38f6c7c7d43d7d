"""Label Studio's own clients against a live server: every Community call of label-studio-sdk
2.1.2's ``LabelStudio`` client (docs/compatibility.md lists them) and the legacy
``label_studio_sdk.Client`` flows, asserting what the answers mean, not only that they come.
Users, organizations and invites are the people API's (their own tests)."""

from __future__ import annotations

import json

import httpx
import pytest
from label_studio_sdk import Client, LabelStudio
from label_studio_sdk.core.api_error import ApiError
from rest_framework.authtoken.models import Token

from tests.factories import TEXT_CONFIG, make_user

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


def choice(value: str) -> list[dict]:
    return [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [value]}}]


@pytest.fixture
def user():
    return make_user("sdk-user")


@pytest.fixture
def token(user):
    return Token.objects.create(user=user).key


@pytest.fixture
def sdk(live_server, token):
    return LabelStudio(base_url=live_server.url, api_key=token)


@pytest.fixture
def raw(live_server, token):
    with httpx.Client(base_url=live_server.url, headers={"Authorization": f"Token {token}"}) as client:
        yield client


@pytest.fixture
def project(sdk):
    project = sdk.projects.create(title="compat", label_config=TEXT_CONFIG)
    sdk.projects.import_tasks(id=project.id, request=[{"text": f"review {i}"} for i in range(10)])
    return project


def task_ids(sdk, project_id) -> list[int]:
    return sorted(t.id for t in sdk.tasks.list(project=project_id, fields="task_only"))


# --- projects ---------------------------------------------------------------------------------
def test_projects(sdk, raw, project, user):
    created = sdk.projects.create(
        title="fields",
        label_config=TEXT_CONFIG,
        enable_empty_annotation=False,
        show_collab_predictions=True,
        overlap_cohort_percentage=100,
        min_annotations_to_start_training=0,
        control_weights={},
        is_published=True,
    )
    got = sdk.projects.get(id=created.id)
    assert got.enable_empty_annotation is False and got.is_published is True
    assert got.overlap_cohort_percentage == 100 and got.show_collab_predictions is True
    # a value we would not honour is refused, naming the field, never dropped
    with pytest.raises(ApiError) as refused:
        sdk.projects.update(id=created.id, overlap_cohort_percentage=50)
    assert refused.value.status_code == 400 and "overlap_cohort_percentage" in str(refused.value.body)
    # enable_empty_annotation=False is honoured: an empty submit is refused
    sdk.projects.import_tasks(id=created.id, request=[{"text": "x"}])
    empty_task = task_ids(sdk, created.id)[0]
    with pytest.raises(ApiError) as empty:
        sdk.annotations.create(id=empty_task, result=[])
    assert empty.value.status_code == 400 and "enable_empty_annotation" in str(empty.value.body)

    updated = sdk.projects.update(id=created.id, title="renamed", maximum_annotations=2)
    assert updated.title == "renamed" and sdk.projects.get(id=created.id).maximum_annotations == 2
    assert {p.id for p in sdk.projects.list()} >= {project.id, created.id}

    ids = task_ids(sdk, project.id)
    sdk.annotations.create(id=ids[0], result=choice("Positive"))
    sdk.annotations.create(id=ids[1], result=[], was_cancelled=True)
    sdk.predictions.create(task=ids[2], result=choice("Negative"), model_version="m1")
    counts = {c.id: c for c in sdk.projects.list_counts().results}[project.id]
    assert (counts.task_number, counts.total_annotations_number, counts.skipped_annotations_number) == (10, 1, 1)
    assert counts.total_predictions_number == 1 and counts.num_tasks_with_annotations == 1

    assert sdk.projects.validate_label_config(id=project.id, label_config=TEXT_CONFIG).valid is True
    bad = raw.post(f"/api/projects/{project.id}/validate/", json={"label_config": "<View><Choices/></View>"})
    assert bad.status_code == 400

    annotators = sdk.projects.list_unique_annotators(id=project.id)
    assert [u.username for u in annotators] == [user.username]

    imported = sdk.projects.import_predictions(
        id=project.id,
        request=[{"task": ids[3], "result": choice("Positive"), "score": 0.3, "model_version": "m2"}],
    )
    assert imported.created == 1
    assert [p.model_version for p in sdk.tasks.get(id=ids[3]).predictions] == ["m2"]
    wrong = raw.post(f"/api/projects/{project.id}/import/predictions", json=[{"task": 10**9, "result": []}])
    assert wrong.status_code == 400 and wrong.json()["index"] == 0

    sdk.projects.delete(id=created.id)
    assert raw.get(f"/api/projects/{created.id}/").status_code == 404


# --- tasks ------------------------------------------------------------------------------------
def test_tasks(sdk, raw, project):
    ids = task_ids(sdk, project.id)
    assert len(ids) == 10
    # Label Studio's paging: pages of page_size, 404 past the last one (how its clients stop)
    page = raw.get("/api/tasks/", params={"project": project.id, "page": 3, "page_size": 4}).json()
    assert page["total"] == 10 and len(page["tasks"]) == 2
    assert raw.get("/api/tasks/", params={"project": project.id, "page": 4, "page_size": 4}).status_code == 404
    assert len(list(sdk.tasks.list(project=project.id, page_size=5))) == 10  # a full last page, then 404

    sdk.annotations.create(id=ids[0], result=choice("Positive"))
    sdk.predictions.create(task=ids[0], result=choice("Negative"), score=0.5, model_version="v1")
    raw.post(f"/api/tasks/{ids[0]}/drafts", json={"result": choice("Negative")})
    full = {t.id: t for t in sdk.tasks.list(project=project.id)}[ids[0]]  # the SDK asks fields=all
    assert full.annotations[0]["result"] == choice("Positive")
    assert full.predictions[0].model_version == "v1" and full.total_annotations == 1
    only = raw.get("/api/tasks/", params={"project": project.id, "fields": "task_only"}).json()["tasks"]
    assert "annotations" not in only[0] and "predictions" not in only[0]
    one = sdk.tasks.get(id=ids[0])
    assert len(one.annotations) == 1 and len(one.predictions) == 1
    assert one.drafts[0].result == choice("Negative")

    query = {
        "filters": {
            "conjunction": "and",
            "items": [
                {"filter": "filter:tasks:total_annotations", "operator": "greater", "type": "Number", "value": 0}
            ],
        }
    }
    assert [t.id for t in sdk.tasks.list(project=project.id, query=json.dumps(query))] == [ids[0]]
    selected = {"selectedItems": {"all": False, "included": ids[2:4]}}
    assert sorted(t.id for t in sdk.tasks.list(project=project.id, query=json.dumps(selected))) == ids[2:4]
    unknown = {"filters": {"conjunction": "and", "items": [{"filter": "filter:tasks:nope", "operator": "equal"}]}}
    bad = raw.get("/api/tasks/", params={"project": project.id, "query": json.dumps(unknown)})
    assert bad.status_code == 400 and "filter:tasks:nope" in bad.text

    new = sdk.tasks.create(project=project.id, data={"text": "new one"})
    assert sdk.tasks.update(id=new.id, data={"text": "changed"}).data == {"text": "changed"}
    sdk.tasks.delete(id=new.id)
    assert raw.get(f"/api/tasks/{new.id}/").status_code == 404
    sdk.tasks.delete_all_tasks(id=project.id)
    assert raw.get("/api/tasks/", params={"project": project.id}).json()["total"] == 0


# --- annotations and predictions --------------------------------------------------------------
def test_annotations(sdk, raw, project):
    ids = task_ids(sdk, project.id)
    created = sdk.annotations.create(id=ids[0], result=choice("Positive"), lead_time=2.0)
    assert sdk.annotations.get(id=created.id).result == choice("Positive")
    assert [a.id for a in sdk.annotations.list(id=ids[0])] == [created.id]
    # no version sent: last write wins, as in Label Studio
    updated = sdk.annotations.update(id=created.id, result=choice("Negative"))
    assert updated.result == choice("Negative")
    # a client that sends If-Match opts in to optimistic concurrency: a stale write is a 409
    stale = raw.patch(
        f"/api/annotations/{created.id}/", json={"result": choice("Positive")}, headers={"If-Match": '"1"'}
    )
    assert stale.status_code == 409
    assert sdk.annotations.get(id=created.id).result == choice("Negative")

    bulk = sdk.annotations.create_bulk(project=project.id, tasks=ids[1:4], result=choice("Positive"))
    assert len(bulk) == 3
    assert all(sdk.tasks.get(id=i).total_annotations == 1 for i in ids[1:4])
    deleted = sdk.annotations.delete_bulk(ids=[b.id for b in bulk[:2]], project=project.id)
    assert deleted.deleted_count == 2 and sdk.tasks.get(id=ids[1]).total_annotations == 0
    sdk.annotations.delete(id=created.id)
    assert sdk.tasks.get(id=ids[0]).annotations == []


def test_predictions(sdk, project):
    ids = task_ids(sdk, project.id)
    prediction = sdk.predictions.create(task=ids[0], result=choice("Positive"), score=0.5, model_version="v1")
    listed = sdk.predictions.list(project=project.id)  # a plain list, as Label Studio answers
    assert [p.id for p in listed] == [prediction.id]
    assert [p.id for p in sdk.predictions.list(task=ids[0])] == [prediction.id]
    assert sdk.predictions.get(id=prediction.id).score == 0.5
    assert sdk.predictions.update(id=prediction.id, score=0.9).score == 0.9
    sdk.predictions.delete(id=prediction.id)
    assert sdk.predictions.list(project=project.id) == []


# --- exports ----------------------------------------------------------------------------------
def test_exports(sdk, project):
    ids = task_ids(sdk, project.id)
    sdk.annotations.create(id=ids[0], result=choice("Positive"))
    formats = {f["name"] for f in sdk.projects.exports.list_formats(id=project.id)}
    assert {"JSON", "CSV", "JSON_MIN"} <= formats
    export = sdk.projects.exports.create(id=project.id, title="snapshot")
    assert export.status == "completed"
    assert [e.id for e in sdk.projects.exports.list(id=project.id)] == [export.id]
    assert sdk.projects.exports.get(id=project.id, export_pk=export.id).counters["task_number"] == 10
    body = json.loads(b"".join(sdk.projects.exports.download(id=project.id, export_pk=export.id, export_type="JSON")))
    assert len(body) == 10
    converted = sdk.projects.exports.convert(id=project.id, export_pk=export.id, export_type="CSV")
    assert converted.export_type == "CSV"
    csv = b"".join(sdk.projects.exports.download(id=project.id, export_pk=export.id, export_type="CSV")).decode()
    assert "Positive" in csv
    only_labeled = json.loads(b"".join(sdk.projects.exports.download_sync(id=project.id, export_type="JSON")))
    assert [t["id"] for t in only_labeled] == [ids[0]]  # Label Studio's default: annotated tasks only
    everything = sdk.projects.exports.download_sync(id=project.id, export_type="JSON", download_all_tasks=True)
    assert len(json.loads(b"".join(everything))) == 10
    assert len(sdk.projects.exports.as_json(project.id)) == 10
    sdk.projects.exports.delete(id=project.id, export_pk=export.id)
    assert sdk.projects.exports.list(id=project.id) == []


# --- ML backends and webhooks -----------------------------------------------------------------
def test_ml(sdk, raw, project, settings):
    from tests.ml_backends.conftest import Servers

    settings.ALLOW_LOOPBACK_URLS = True
    servers = Servers()
    try:
        url = servers.sklearn()
        backend = sdk.ml.create(project=project.id, url=url, title="sklearn")
        assert [b.id for b in sdk.ml.list(project=project.id)] == [backend.id]  # a plain list
        assert sdk.ml.get(id=backend.id).url == url
        ids = task_ids(sdk, project.id)
        for i, label in zip(ids[:4], ["Positive", "Negative", "Positive", "Negative"], strict=True):
            sdk.annotations.create(id=i, result=choice(label))
        sdk.ml.train(id=backend.id)
        tried = raw.post(f"/api/ml/{backend.id}/predict/test", params={"random": "true"}).json()
        assert tried["task"] in ids and tried["results"][0]["result"][0]["from_name"] == "sentiment"
        assert sdk.tasks.get(id=tried["task"]).predictions == []  # a test: nothing saved
        sdk.ml.predict_all_tasks(id=backend.id)
        assert sdk.tasks.get(id=ids[5]).predictions, "the backend's predictions are on the tasks"
        sdk.ml.delete(id=backend.id)
        assert sdk.ml.list(project=project.id) == []
    finally:
        servers.stop()


def test_webhooks(sdk, project, settings):
    settings.ALLOW_LOOPBACK_URLS = True
    hook = sdk.webhooks.create(project=project.id, url="http://127.0.0.1:9/hook", actions=["ANNOTATION_CREATED"])
    assert [w.id for w in sdk.webhooks.list(project=str(project.id))] == [hook.id]  # a plain list
    assert sdk.webhooks.get(id=hook.id).actions == ["ANNOTATION_CREATED"]
    changed = sdk.webhooks.update(id=hook.id, url="http://127.0.0.1:9/other", send_payload=False)
    assert changed.url == "http://127.0.0.1:9/other" and changed.send_payload is False
    every = sdk.webhooks.create(
        project=project.id, url="http://127.0.0.1:9/all", send_for_all_actions=True, actions=["ANNOTATION_CREATED"]
    )
    assert every.send_for_all_actions is True and every.actions == []
    sdk.webhooks.delete(id=every.id)
    info = sdk.webhooks.info()
    assert info.annotation_created.key == "ANNOTATION_CREATED"
    sdk.webhooks.delete(id=hook.id)
    assert sdk.webhooks.list(project=str(project.id)) == []


# --- data manager: views and actions ----------------------------------------------------------
def test_views_and_actions(sdk, raw, project):
    ids = task_ids(sdk, project.id)
    filters = {
        "conjunction": "and",
        "items": [{"filter": "filter:tasks:id", "operator": "greater", "type": "Number", "value": ids[5]}],
    }
    view = sdk.views.create(project=project.id, data={"title": "late", "filters": filters})
    assert [v.id for v in sdk.views.list(project=project.id)] == [view.id]
    assert sdk.views.get(id=str(view.id)).data["title"] == "late"
    assert sdk.views.update(id=str(view.id), project=project.id, data={"title": "later"}).data["title"] == "later"
    in_view = sorted(t.id for t in sdk.tasks.list(project=project.id, view=view.id))
    assert in_view == ids[6:]

    sdk.annotations.create(id=ids[0], result=choice("Positive"))
    sdk.annotations.create(id=ids[1], result=choice("Positive"))
    sdk.predictions.create(task=ids[0], result=choice("Negative"), model_version="v1")
    actions = {a.id for a in sdk.actions.list(project=project.id)}
    assert {"delete_tasks", "delete_tasks_annotations", "delete_tasks_predictions"} <= actions

    sdk.actions.create(
        id="delete_tasks_annotations", project=project.id, selected_items={"all": False, "included": [ids[0]]}
    )
    assert sdk.tasks.get(id=ids[0]).total_annotations == 0 and sdk.tasks.get(id=ids[1]).total_annotations == 1
    sdk.actions.create(id="delete_tasks_predictions", project=project.id, selected_items={"all": True, "excluded": []})
    assert sdk.tasks.get(id=ids[0]).predictions == []
    no_backend = raw.post(
        "/api/dm/actions/",
        params={"id": "retrieve_tasks_predictions", "project": project.id},
        json={"selectedItems": {"all": True}},
    )
    assert no_backend.status_code == 400 and "ML backend" in no_backend.text
    # delete the tasks of the view, except one
    sdk.actions.create(
        id="delete_tasks", project=project.id, view=view.id, selected_items={"all": True, "excluded": [ids[9]]}
    )
    assert task_ids(sdk, project.id) == [*ids[:6], ids[9]]

    sdk.views.delete(id=str(view.id))
    sdk.views.create(project=project.id, data={"title": "a"})
    sdk.views.delete_all(project=project.id)
    assert sdk.views.list(project=project.id) == []


# --- the legacy client ------------------------------------------------------------------------
def test_legacy_client(live_server, token, settings, tmp_path, monkeypatch):
    client = Client(url=live_server.url, api_key=token)
    assert client.check_connection()["status"] == "UP"
    project = client.start_project(title="legacy", label_config=TEXT_CONFIG)
    ids = project.import_tasks([{"text": f"t{i}"} for i in range(250)])  # polls until "completed"
    assert len(ids) == 250
    tasks = project.get_tasks()  # pages of 100 until Label Studio's 404
    assert sorted(t["id"] for t in tasks) == sorted(ids)
    project.create_prediction(ids[0], result=choice("Positive"), score=0.4, model_version="v1")
    assert project.create_predictions([{"task": ids[1], "result": choice("Negative"), "score": 0.1}])["created"] == 1
    annotation = project.create_annotation(ids[0], result=choice("Positive"))
    assert annotation["result"] == choice("Positive")
    labeled = project.get_labeled_tasks()
    assert [t["id"] for t in labeled] == [ids[0]] and labeled[0]["annotations"][0]["id"] == annotation["id"]
    exported = project.export_tasks()
    assert [t["id"] for t in exported] == [ids[0]]
    assert len(project.export_tasks(download_all_tasks=True)) == 250
    assert project.get_paginated_tasks(page=3, page_size=100)["tasks"][-1]["id"] == ids[-1]
    assert project.get_paginated_tasks(page=4, page_size=100)["end_pagination"] is True

    root = tmp_path / "docs"
    (root / "more").mkdir(parents=True)
    (root / "more" / "t.json").write_text(json.dumps([{"text": "local"}]))
    settings.LOCAL_FILES_SERVING_ENABLED, settings.LOCAL_FILES_DOCUMENT_ROOT = True, root
    monkeypatch.setenv("LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT", str(root))
    storage = project.connect_local_import_storage(str(root / "more"), title="more")
    assert [s["type"] for s in project.get_import_storages()] == ["localfiles"]
    project.sync_import_storage("localfiles", storage["id"])
    assert len(project.get_tasks()) == 251
    assert project.get_export_storages() == []


# --- storages ---------------------------------------------------------------------------------
def test_storage_types(sdk):
    assert {t.name for t in sdk.import_storage.list_types()} == {"s3", "localfiles"}
    assert {t.name for t in sdk.export_storage.list_types()} == {"s3", "localfiles"}


def test_local_files_storages(sdk, raw, project, settings, tmp_path):
    root = tmp_path / "documents"
    (root / "images").mkdir(parents=True)
    (root / "tasks").mkdir()
    (root / "tasks" / "batch.json").write_text(json.dumps([{"text": "from disk 1"}, {"text": "from disk 2"}]))
    (root / "images" / "a.txt").write_text("hello")
    settings.LOCAL_FILES_DOCUMENT_ROOT = root
    settings.LOCAL_FILES_SERVING_ENABLED = False
    off = raw.post("/api/storages/localfiles/", json={"project": project.id, "path": str(root / "tasks")})
    assert off.status_code == 400 and "LOCAL_FILES_SERVING_ENABLED" in off.text
    settings.LOCAL_FILES_SERVING_ENABLED = True
    outside = raw.post("/api/storages/localfiles/", json={"project": project.id, "path": str(tmp_path)})
    assert outside.status_code == 400 and outside.json()["field"] == "path"

    storage = sdk.import_storage.local.create(project=project.id, path=str(root / "tasks"), title="disk")
    assert [s.id for s in sdk.import_storage.local.list(project=project.id)] == [storage.id]
    sdk.import_storage.local.validate(project=project.id, path=str(root / "tasks"))
    assert sdk.import_storage.local.get(id=storage.id).title == "disk"
    assert sdk.import_storage.local.update(id=storage.id, title="renamed").title == "renamed"
    synced = sdk.import_storage.local.sync(id=storage.id)
    assert synced.last_sync_count == 2
    texts = {t.data["text"] for t in sdk.tasks.list(project=project.id)}
    assert {"from disk 1", "from disk 2"} <= texts
    assert sdk.import_storage.local.sync(id=storage.id).last_sync_count == 0  # nothing new: nothing twice

    media = sdk.projects.create(
        title="media", label_config=TEXT_CONFIG.replace('value="$text"', 'value="$text" valueType="url"')
    )
    blobs = sdk.import_storage.local.create(project=media.id, path=str(root / "images"), use_blob_urls=True)
    sdk.import_storage.local.sync(id=blobs.id)
    [task] = list(sdk.tasks.list(project=media.id))
    assert task.data["text"] == "/data/local-files/?d=images/a.txt"
    assert raw.get(task.data["text"]).text == "hello"
    assert raw.get("/data/local-files/?d=tasks/batch.json").status_code == 200
    sdk.import_storage.local.delete(id=storage.id)
    assert [s.id for s in sdk.import_storage.local.list(project=project.id)] == []
    assert raw.get("/data/local-files/?d=tasks/batch.json").status_code == 404  # no storage of ours holds it
    assert raw.get("/data/local-files/?d=../../etc/passwd").status_code == 404

    ids = task_ids(sdk, project.id)
    annotation = sdk.annotations.create(id=ids[0], result=choice("Positive"))
    settings.EXPORT_LOCAL_ROOTS = [str(tmp_path / "exports")]
    target = tmp_path / "exports" / "labels"
    escaped = raw.post("/api/storages/export/localfiles", json={"project": project.id, "path": str(tmp_path)})
    assert escaped.status_code == 400 and escaped.json()["field"] == "path"
    out = sdk.export_storage.local.create(project=project.id, path=str(target), title="out")
    assert [s.id for s in sdk.export_storage.local.list(project=project.id)] == [out.id]
    sdk.export_storage.local.validate(project=project.id, path=str(target))
    assert sdk.export_storage.local.update(id=out.id, title="o").title == "o"
    assert sdk.export_storage.local.sync(id=out.id).last_sync_count == 1
    written = json.loads((target / str(annotation.id)).read_text())
    assert written["result"] == choice("Positive") and written["task"]["id"] == ids[0]
    sdk.export_storage.local.delete(id=out.id)
    assert sdk.export_storage.local.list(project=project.id) == []


def test_s3_storages_crud(sdk, raw, project):
    """Connection and sync against a real S3 server are covered by tests/tasks/test_import_storage.py;
    here the SDK's calls and shapes (no endpoint is contacted: a bucket that cannot resolve)."""
    storage = sdk.import_storage.s3.create(project=project.id, bucket="b", prefix="in/", title="in")
    assert [s.id for s in sdk.import_storage.s3.list(project=project.id)] == [storage.id]
    assert sdk.import_storage.s3.update(id=storage.id, title="x").title == "x"
    sdk.import_storage.s3.delete(id=storage.id)
    out = sdk.export_storage.s3.create(project=project.id, bucket="b", prefix="out/", aws_secret_access_key="k")
    got = sdk.export_storage.s3.get(id=out.id)
    assert got.bucket == "b" and got.prefix == "out/"
    assert "aws_secret_access_key" not in raw.get(f"/api/storages/export/s3/{out.id}").json()
    assert sdk.export_storage.s3.update(id=out.id, prefix="o2/").prefix == "o2/"
    assert [s.id for s in sdk.export_storage.s3.list(project=project.id)] == [out.id]
    sdk.export_storage.s3.delete(id=out.id)
    assert sdk.export_storage.s3.list(project=project.id) == []


def test_s3_export_storage_sync(sdk, project, settings):
    """validate and sync against a real S3 server (moto_server on loopback)."""
    import boto3

    from tests import live

    port = live.free_port()
    endpoint = f"http://127.0.0.1:{port}"
    server = live.Process([str(live.BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)], live.base_env())
    try:
        live.wait_http(endpoint)
        settings.ALLOW_LOOPBACK_URLS = True
        keys = {"aws_access_key_id": "k", "aws_secret_access_key": "s", "region_name": "us-east-1"}
        s3 = boto3.client("s3", endpoint_url=endpoint, **keys)
        s3.create_bucket(Bucket="labels")
        ids = task_ids(sdk, project.id)
        first = sdk.annotations.create(id=ids[0], result=choice("Positive"))
        second = sdk.annotations.create(id=ids[1], result=choice("Negative"))
        with pytest.raises(ApiError) as missing:
            sdk.export_storage.s3.validate(project=project.id, bucket="nope", s3endpoint=endpoint, **keys)
        assert missing.value.status_code == 400
        out = sdk.export_storage.s3.create(
            project=project.id, bucket="labels", prefix="out", s3endpoint=endpoint, **keys
        )
        sdk.export_storage.s3.validate(id=out.id, project=project.id, bucket="labels")
        assert sdk.export_storage.s3.sync(id=out.id).last_sync_count == 2
        listed = sorted(o["Key"] for o in s3.list_objects_v2(Bucket="labels")["Contents"])
        assert listed == sorted([f"out/{first.id}", f"out/{second.id}"])
        body = json.loads(s3.get_object(Bucket="labels", Key=f"out/{second.id}")["Body"].read())
        assert body["result"] == choice("Negative") and body["task"]["data"] == {
            "text": sdk.tasks.get(id=ids[1]).data["text"]
        }
    finally:
        server.stop()
