"""Every API endpoint, listed from the OpenAPI schema, answers each organization role only what
it may see: nothing of another organization, nothing of a project the user is not in.

How it works: organization B holds one of every kind of object, each carrying the marker
"secretb" in a visible field. Every user of organization A (one per role) then calls
- every path with a parameter, with B's ids, with every method: the answer must be 401/403/404/405
  and B's rows must be unchanged afterwards;
- every path without a parameter with GET (plain and ``?project=<B's project>``): the answer must
  not contain the marker.
A path whose parameter this test cannot fill with one of B's objects fails the test (add the
object to ``B_OBJECTS``): a new endpoint cannot escape the check. ``PUBLIC`` lists the only
paths anyone may read.
"""

from __future__ import annotations

import json

import pytest
from drf_spectacular.generators import SchemaGenerator

from annotators.models import Completion, Draft
from labelstudio.core.models import Job
from labelstudio.webhooks.models import Webhook
from ml_backends.models import MLBackend, Prediction
from projects.models import Label, LabelLink, Project
from tasks.models import (
    DataManagerView,
    ExportSchedule,
    ExportStorage,
    LocalFilesImportStorage,
    S3ImportStorage,
    Task,
)
from tests import factories
from tests.conftest import client_for

ROLES = ("owner", "administrator", "manager", "reviewer", "annotator")
MARK = "secretb"
DENIED = {401, 403, 404, 405}
# readable by any signed-in user, nothing of an organization in them
PUBLIC = {"/api/version/", "/api/templates/"}  # /api/version/ also answers without the slash


def _schema_paths() -> dict[str, list[str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        path: [m.upper() for m in ops if m in {"get", "post", "put", "patch", "delete"}]
        for path, ops in schema["paths"].items()
    }


@pytest.fixture
def org_b(db, tmp_path, settings):
    org = factories.make_organization("SECRETB org")
    owner = factories.make_user("secretb_owner", org_role="owner", organization=org)
    annotator = factories.make_user("secretb_ann", org_role="annotator", organization=org)
    project = factories.make_project(created_by=owner, title="SECRETB project")
    from projects.services import membership_set

    membership_set(project=project, user=annotator, role="annotator")
    task = factories.make_task(project, {"text": "SECRETB task text"})
    result = [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}]
    completion = Completion.objects.create(task=task, project=project, completed_by=annotator, result=result)
    draft = Draft.objects.create(task=task, project=project, user=owner, result=result)
    backend = MLBackend.objects.create(project=project, url="http://secretb.example/ml", title="SECRETB model")
    prediction = Prediction.objects.create(task=task, project=project, result=result, model_version="secretb-v1")
    webhook = Webhook.objects.create(project=project, url="http://secretb.example/hook")
    storage = S3ImportStorage.objects.create(project=project, bucket="secretb-bucket", title="SECRETB storage")
    schedule = ExportSchedule.objects.create(project=project, title="SECRETB schedule", created_by=owner)
    view = DataManagerView.objects.create(project=project, user=owner, data={"title": "SECRETB view"})
    settings.LOCAL_FILES_SERVING_ENABLED = True
    settings.LOCAL_FILES_DOCUMENT_ROOT = tmp_path / "docroot"
    (tmp_path / "docroot" / "secretb").mkdir(parents=True)
    (tmp_path / "docroot" / "secretb" / "secretb.txt").write_text("SECRETB local file")
    local_storage = LocalFilesImportStorage.objects.create(
        project=project, path=str(tmp_path / "docroot" / "secretb"), title="SECRETB local storage"
    )
    s3_export = ExportStorage.objects.create(
        project=project, storage_type="s3", bucket="secretb-out", title="SECRETB s3 export"
    )
    local_export = ExportStorage.objects.create(
        project=project, storage_type="localfiles", path=str(tmp_path / "secretb-out"), title="SECRETB export"
    )
    job = Job.objects.create(
        project=project, kind=Job.Kind.EXPORT, params={"title": "SECRETB export"}, created_by=owner
    )
    label = Label.objects.create(organization=org, created_by=annotator, title="SECRETB label", value=["SECRETB"])
    label_link = LabelLink.objects.create(project=project, label=label, from_name="sentiment")
    from tasks.importers.files import uploads_root

    upload = uploads_root() / str(project.pk) / "secretb.txt"
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_text("SECRETB file")
    return {
        "org": org,
        "owner": owner,
        "project": project,
        "task": task,
        "completion": completion,
        "draft": draft,
        "backend": backend,
        "prediction": prediction,
        "webhook": webhook,
        "storage": storage,
        "schedule": schedule,
        "job": job,
        "view": view,
        "local_storage": local_storage,
        "s3_export": s3_export,
        "local_export": local_export,
        "label": label,
        "label_link": label_link,
    }


# (path prefix, parameter) -> which of B's objects fills it
B_OBJECTS = {
    ("/api/annotations/", "id"): "completion",
    ("/api/dm/views/", "id"): "view",
    ("/api/drafts/", "id"): "draft",
    ("/api/jobs/", "id"): "job",
    ("/api/labels/", "id"): "label",
    ("/api/label_links/", "id"): "label_link",
    ("/api/ml/", "id"): "backend",
    ("/api/organizations/", "id"): "org",
    ("/api/predictions/", "id"): "prediction",
    ("/api/projects/", "id"): "project",
    ("/api/projects/", "schedule_id"): "schedule",
    ("/api/projects/", "export_id"): "job",
    ("/api/projects/", "job_pk"): "job",
    ("/api/storages/s3/", "id"): "storage",
    ("/api/storages/localfiles/", "id"): "local_storage",
    ("/api/storages/export/s3/", "id"): "s3_export",
    ("/api/storages/export/localfiles/", "id"): "local_export",
    ("/api/tasks/", "id"): "task",
    ("/api/tasks/", "task_id"): "task",
    ("/api/users/", "id"): "owner",
    ("/api/webhooks/", "id"): "webhook",
    ("/data/upload/", "project_pk"): "project",
    ("/data/upload/", "path"): "secretb.txt",
}


def _fill(path: str, b: dict) -> str:
    import re

    def one(match):
        param = match.group(1)
        for (prefix, name), key in B_OBJECTS.items():
            if path.startswith(prefix) and name == param:
                return key if "." in key else str(b[key].pk)
        pytest.fail(f"{path}: no object of organization B for {{{param}}}; add one to B_OBJECTS")

    return re.sub(r"\{(\w+)\}", one, path)


def _body_naming(b: dict) -> dict:
    """Every field name our API takes for an object, filled with organization B's ids."""
    result = [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Negative"]}}]
    return {
        "project": b["project"].pk,
        "project_id": b["project"].pk,
        "task": b["task"].pk,
        "task_id": b["task"].pk,
        "tasks": [b["task"].pk],
        "ids": [b["task"].pk, b["view"].pk, b["completion"].pk],  # tasks, views or completions
        "selectedItems": {"all": False, "included": [b["task"].pk]},
        "annotation": b["completion"].pk,
        "completion": b["completion"].pk,
        "ml_backend": b["backend"].pk,
        "view": b["view"].pk,
        "id": b["view"].pk,
        "storage": b["storage"].pk,
        "user": b["owner"].pk,
        "user_id": b["owner"].pk,
        "organization": b["org"].pk,
        "result": result,
        "model_version": "attack",
    }


def _snapshot(b: dict) -> str:
    rows = [
        list(Project.objects.filter(pk=b["project"].pk).values()),
        list(Task.objects.filter(project=b["project"]).values()),
        list(Completion.objects.filter(project=b["project"]).values()),
        list(Prediction.objects.filter(project=b["project"]).values()),
        list(MLBackend.objects.filter(project=b["project"]).values("id", "url", "title")),
        list(Webhook.objects.filter(project=b["project"]).values("id", "url", "is_active")),
        list(S3ImportStorage.objects.filter(project=b["project"]).values("id", "bucket")),
        list(ExportSchedule.objects.filter(project=b["project"]).values("id", "title", "enabled")),
        list(Draft.objects.filter(project=b["project"]).values("id", "result")),
        list(DataManagerView.objects.filter(project=b["project"]).values("id", "data", "order", "user_id")),
        list(LocalFilesImportStorage.objects.filter(project=b["project"]).values("id", "path", "title")),
        list(ExportStorage.objects.filter(project=b["project"]).values("id", "path", "bucket", "title")),
        list(Label.objects.filter(organization=b["org"]).values("id", "title", "value", "approved")),
        list(LabelLink.objects.filter(project=b["project"]).values("id", "label_id", "from_name")),
        [b["org"].title, [m.role for m in b["org"].members.all()]],
        [
            (u.username, u.is_active, u.password)
            for u in type(b["owner"]).objects.filter(org_member__organization=b["org"])
        ],
    ]
    return json.dumps(rows, default=str, sort_keys=True)


@pytest.mark.parametrize("role", ROLES)
def test_no_endpoint_shows_or_changes_another_organizations_objects(role, org_b, db):
    org_a = factories.make_organization("Org A")
    user = factories.make_user(f"a_{role}", org_role=role, organization=org_a)
    own = factories.make_project(created_by=factories.make_user("a_owner", org_role="owner", organization=org_a))
    client = client_for(user)
    paths = _schema_paths()
    assert "/api/users/{id}/" in paths and "/api/organizations/{id}/memberships/" in paths
    before = _snapshot(org_b)
    leaks = []
    for path, methods in sorted(paths.items()):
        if "{" in path:
            url = _fill(path, org_b)
            for method in methods:
                r = client.generic(method, url, data="{}", content_type="application/json")
                if r.status_code not in DENIED:
                    leaks.append(f"{method} {url} -> {r.status_code}")
        else:
            leaks += _probe_unparametrized(client, path, methods, org_b, own_project=own.pk)
    assert not leaks, "\n".join(leaks)
    assert _snapshot(org_b) == before, "a request from another organization changed organization B's rows"


def _text(response) -> str:
    """The body, lower-cased (a file response streams it)."""
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace").lower()
    return response.content.decode(errors="replace").lower()


LOCAL_FILE = "secretb/secretb.txt"  # under LOCAL_FILES_DOCUMENT_ROOT, in B's local storage


def _queries(b: dict, own_project: int | None) -> tuple[str, ...]:
    """B's project (and view, file) in the query; and the caller's own project (which owners and
    administrators of A manage) with B's ids in the body: an action on one's own project must not
    reach B's tasks, completions or views."""
    project = b["project"].pk
    own = (f"?project={own_project}&id=delete_tasks",) if own_project else ()
    view = f"?project={project}&view={b['view'].pk}&id=delete_tasks&d={LOCAL_FILE}"
    return (*own, "", f"?project={project}", view)


def _probe_unparametrized(client, path: str, methods: list[str], b: dict, own_project=None) -> list[str]:
    """GET (plain and naming B's project) must not show B's marker; a POST whose body and query
    name B's objects must neither show nor (checked by the caller's snapshot) change them."""
    leaks = []
    for query in _queries(b, own_project):
        if "GET" in methods:
            r = client.get(path + query)
            if MARK in _text(r):
                leaks.append(f"GET {path}{query} shows organization B's data")
        for method in ("POST", "DELETE"):
            if method in methods:
                body = _body_naming(b)
                if own_project and query.startswith(f"?project={own_project}&"):
                    body.update(project=own_project, project_id=own_project)
                r = client.generic(method, path + query, json.dumps(body), "application/json")
                if MARK in _text(r):
                    leaks.append(f"{method} {path}{query} shows organization B's data")
    return leaks


def test_public_allowlist_is_small_and_real():
    paths = _schema_paths()
    assert PUBLIC <= set(paths)


@pytest.mark.parametrize("role", ("reviewer", "annotator", "manager"))
def test_non_members_of_a_project_in_the_same_organization_see_nothing_of_it(role, org_b, db):
    """Inside one organization, a reviewer/annotator/manager who is not in a project gets 404 on
    every endpoint of that project (owners and administrators see all of it: next test)."""
    user = factories.make_user(f"b_{role}", org_role=role, organization=org_b["org"])
    client = client_for(user)
    before = _snapshot(org_b)
    leaks = []
    for path, methods in sorted(_schema_paths().items()):
        if path.startswith(SAME_ORG_PATHS):
            continue
        if "{" not in path:
            leaks += _probe_unparametrized(client, path, methods, org_b)
            continue
        url = _fill(path, org_b)
        for method in methods:
            r = client.generic(method, url, data="{}", content_type="application/json")
            if r.status_code not in DENIED:
                leaks.append(f"{method} {url} -> {r.status_code}")
    assert not leaks, "\n".join(leaks)
    assert _snapshot(org_b) == before, "a non-member changed the project's rows"


# about the organization itself (its people by name), not about a project: members may see them
SAME_ORG_PATHS = ("/api/users/", "/api/organizations/", "/api/invite/", "/api/current-user/")


@pytest.mark.parametrize("role", ("owner", "administrator"))
def test_owners_and_administrators_see_every_project_of_their_organization(role, org_b):
    admin = factories.make_user(f"b_{role}", org_role=role, organization=org_b["org"])
    client = client_for(admin)
    listed = [p["id"] for p in client.get("/api/projects/").json()["results"]]
    assert listed == [org_b["project"].pk]
    assert client.get(f"/api/projects/{org_b['project'].pk}/").status_code == 200
    assert client.get(f"/api/tasks/{org_b['task'].pk}/").status_code == 200
    local_file = client.get(f"/data/local-files/?d={LOCAL_FILE}")  # the probe above can find B's file
    assert local_file.status_code == 200 and b"SECRETB" in b"".join(local_file.streaming_content)


# page routes and which of B's objects fills each parameter; a new page parameter fails the test
PAGE_PARAMS = {"pk": "project", "project_pk": "project", "task_id": "task", "path": "secretb.txt"}
PAGES_WITHOUT_ORG_DATA = {"user/reset/<uidb64>/<token>/"}  # Django's token check answers these


def _page_routes() -> list[str]:
    from django.urls import URLPattern

    from labelstudio import urls

    return [
        str(p.pattern)
        for p in urls.urlpatterns
        if isinstance(p, URLPattern) and not str(p.pattern).startswith(("admin/", "api/"))
    ]


@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_another_organizations_objects(role, org_b, db):
    import re

    from django.test import Client

    org_a = factories.make_organization("Org A")
    user = factories.make_user(f"a_{role}", org_role=role, organization=org_a)
    browser = Client()
    browser.force_login(user)
    leaks = []
    routes = _page_routes()
    assert "projects/<int:pk>/settings/" in routes and "people/" in routes
    for route in routes:
        if route in PAGES_WITHOUT_ORG_DATA:
            continue

        def fill(match, route=route):
            name = match.group(1).split(":")[-1]
            if name not in PAGE_PARAMS:
                pytest.fail(f"page {route}: no object of organization B for <{name}>; add one to PAGE_PARAMS")
            key = PAGE_PARAMS[name]
            return key if "." in key else str(org_b[key].pk)

        url = "/" + re.sub(r"<([^>]+)>", fill, route)
        r = browser.get(url)
        body = _text(r)
        if "<" in route and r.status_code not in {403, 404}:
            leaks.append(f"GET {url} -> {r.status_code}")
        elif MARK in body:
            leaks.append(f"GET {url} shows organization B's data")
    assert not leaks, "\n".join(leaks)
