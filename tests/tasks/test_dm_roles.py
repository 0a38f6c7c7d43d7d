"""Project roles on the data manager, storage and annotator-list endpoints: annotators neither run actions, nor
manage storages, nor reorder or remove other people's views, nor learn other annotators' work
through data-manager filters; organization owners and administrators manage storages of every
project of their organization (they act as its managers)."""

import json

import pytest

from annotators.models import Completion
from projects.services import membership_set
from tasks.models import DataManagerView, ExportStorage, LocalFilesImportStorage, S3ImportStorage, Task
from tests.conftest import client_for
from tests.factories import make_task, make_user

pytestmark = pytest.mark.django_db
RESULT = [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}]


@pytest.fixture
def member(project, annotator):
    membership_set(project=project, user=annotator, role="annotator")
    return client_for(annotator)


def test_annotators_reorder_only_their_own_views_and_reset_none(api, project, annotator, member):
    theirs = api.post("/api/dm/views/", {"project": project.pk, "data": {"title": "m"}}, format="json").json()
    mine = member.post("/api/dm/views/", {"project": project.pk, "data": {"title": "a"}}, format="json").json()
    ids = [mine["id"], theirs["id"]]
    assert member.post("/api/dm/views/order/", {"project": project.pk, "ids": ids}, format="json").status_code == 200
    orders = dict(DataManagerView.objects.values_list("pk", "order"))
    assert orders == {theirs["id"]: 0, mine["id"]: 0}  # the manager's view kept its place
    api.post("/api/dm/views/order/", {"project": project.pk, "ids": ids}, format="json")
    assert dict(DataManagerView.objects.values_list("pk", "order")) == {mine["id"]: 0, theirs["id"]: 1}
    bad = api.post("/api/dm/views/order/", {"project": project.pk, "ids": ["x"]}, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "ids"
    assert member.delete(f"/api/dm/views/reset/?project={project.pk}").status_code == 403
    assert member.post("/api/dm/views/reset/", {"project": project.pk}, format="json").status_code == 403
    assert DataManagerView.objects.count() == 2


@pytest.mark.parametrize("action", ["delete_tasks", "delete_annotations", "delete_predictions", "delete_ground_truth"])
def test_annotators_run_no_action_and_are_offered_none(api, project, member, action):
    task = make_task(project, {"text": "x"})
    url = f"/api/dm/actions/?project={project.pk}&id={action}"
    body = {"selectedItems": {"all": True, "excluded": []}}
    assert member.post(url, body, format="json").status_code == 403
    assert Task.objects.filter(pk=task.pk).exists()
    offered = member.get(f"/api/dm/actions/?project={project.pk}").json()
    assert all(not a["permission"] for a in offered)
    assert len(api.get(f"/api/dm/actions/?project={project.pk}").json()) > len(offered)


def test_annotator_filters_do_not_reveal_other_annotators_work(api, project, annotator, member):
    other = make_user("other_annotator")
    membership_set(project=project, user=other, role="annotator")
    theirs, mine = make_task(project, {"text": "a"}), make_task(project, {"text": "b"})
    Completion.objects.create(task=theirs, project=project, completed_by=other, result=RESULT, ground_truth=True)
    Completion.objects.create(task=mine, project=project, completed_by=annotator, result=RESULT)

    def found(client, column, value):
        items = [{"filter": f"filter:tasks:{column}", "operator": "equal", "value": value}]
        query = json.dumps({"filters": {"conjunction": "and", "items": items}})
        return [t["id"] for t in client.get("/api/tasks/", {"project": project.pk, "query": query}).json()["tasks"]]

    assert found(api, "annotators", [other.pk]) == [theirs.pk]
    assert found(api, "ground_truth", True) == [theirs.pk]
    assert found(member, "annotators", [other.pk]) == []
    assert found(member, "ground_truth", True) == []
    assert found(member, "annotators", [annotator.pk]) == [mine.pk]
    view = api.post(
        "/api/dm/views/",
        {"project": project.pk, "data": {"filters": {"conjunction": "and", "items": [
            {"filter": "filter:tasks:annotators", "operator": "contains", "value": [other.pk]}
        ]}}},
        format="json",
    ).json()  # fmt: skip
    assert member.get("/api/tasks/", {"project": project.pk, "view": view["id"]}).json()["tasks"] == []
    project.annotators_see_all = True
    project.save(update_fields=["annotators_see_all"])
    assert found(client_for(annotator), "annotators", [other.pk]) == [theirs.pk]


def test_annotators_manage_no_storage(api, project, member, tmp_path):
    s3 = S3ImportStorage.objects.create(project=project, bucket="b")
    local = LocalFilesImportStorage.objects.create(project=project, path=str(tmp_path))
    out = ExportStorage.objects.create(project=project, storage_type="s3", bucket="o")
    for base, storage in [("storages/s3", s3), ("storages/localfiles", local), ("storages/export/s3", out)]:
        assert member.get(f"/api/{base}/?project={project.pk}").json() == []
        assert member.get(f"/api/{base}/{storage.pk}/").status_code == 404
        assert member.patch(f"/api/{base}/{storage.pk}/", {"title": "x"}, format="json").status_code == 404
        assert member.delete(f"/api/{base}/{storage.pk}/").status_code == 404
        assert member.post(f"/api/{base}/{storage.pk}/sync/").status_code == 404
        created = member.post(f"/api/{base}/", {"project": project.pk, "bucket": "z", "path": "z"}, format="json")
        assert created.status_code in (400, 403)
    for base in ("storages", "storages/export"):
        assert member.get(f"/api/{base}/?project={project.pk}").status_code == 403
    assert S3ImportStorage.objects.count() == LocalFilesImportStorage.objects.count() == 1
    assert ExportStorage.objects.count() == 1 and not any(s.title for s in ExportStorage.objects.all())


@pytest.mark.parametrize("role", ["owner", "administrator"])
def test_organization_admins_manage_storages_of_projects_they_are_not_in(project, role):
    storage = S3ImportStorage.objects.create(project=project, bucket="b")
    out = ExportStorage.objects.create(project=project, storage_type="localfiles", path="/tmp/x")
    admin = client_for(make_user(f"org_{role}", org_role=role))
    assert [s["id"] for s in admin.get(f"/api/storages/s3/?project={project.pk}").json()] == [storage.pk]
    assert admin.get(f"/api/storages/export/localfiles/{out.pk}/").status_code == 200
    assert admin.patch(f"/api/storages/s3/{storage.pk}/", {"title": "t"}, format="json").status_code == 200
    manager_elsewhere = client_for(make_user("manager_elsewhere"))
    assert manager_elsewhere.get(f"/api/storages/s3/{storage.pk}/").status_code == 404


def test_unique_annotators_list_only_whose_work_the_asker_may_read(api, project, annotator, member):
    other = make_user("other_annotator")
    membership_set(project=project, user=other, role="annotator")
    for user in (annotator, other):
        Completion.objects.create(
            task=make_task(project, {"text": "x"}), project=project, completed_by=user, result=RESULT
        )
    url = f"/api/projects/{project.pk}/annotators/"
    assert [u["id"] for u in api.get(url).json()] == [annotator.pk, other.pk]
    assert [u["id"] for u in member.get(url).json()] == [annotator.pk]
