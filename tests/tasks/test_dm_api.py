"""Label Studio's data-manager API (/api/dm/views, /api/dm/actions) and the task list's query:
who may do what, and refusals that name what they refuse."""

import json

import pytest

from annotators.models import Completion
from projects.services import membership_set
from tasks.models import Task
from tests.conftest import client_for
from tests.factories import make_task, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(project):
    return [make_task(project, {"text": f"t{i}"}) for i in range(5)]


def test_views_belong_to_their_author_or_the_managers(api, project, annotator):
    membership_set(project=project, user=annotator, role="annotator")
    view = api.post("/api/dm/views/", {"project": project.pk, "data": {"title": "mine"}}, format="json").json()
    other = client_for(annotator)
    assert [v["id"] for v in other.get(f"/api/dm/views/?project={project.pk}").json()] == [view["id"]]
    assert other.patch(f"/api/dm/views/{view['id']}/", {"data": {"title": "x"}}, format="json").status_code == 403
    assert other.delete(f"/api/dm/views/{view['id']}/").status_code == 403
    own = other.post("/api/dm/views/", {"project": project.pk, "data": {"title": "a"}}, format="json").json()
    assert other.patch(f"/api/dm/views/{own['id']}/", {"data": {"title": "b"}}, format="json").json()["data"] == {
        "title": "b"
    }
    stranger = client_for(make_user("stranger"))
    assert stranger.get(f"/api/dm/views/{view['id']}/").status_code == 404
    assert stranger.get(f"/api/dm/views/?project={project.pk}").status_code == 404


def test_a_view_with_a_filter_we_cannot_apply_is_refused(api, project):
    bad = {"conjunction": "and", "items": [{"filter": "filter:tasks:reviewers", "operator": "contains", "value": 1}]}
    response = api.post("/api/dm/views/", {"project": project.pk, "data": {"filters": bad}}, format="json")
    assert response.status_code == 400 and "filter:tasks:reviewers" in response.json()["detail"]


def test_actions_are_for_managers_and_name_unknown_ids(api, project, annotator, tasks):
    membership_set(project=project, user=annotator, role="annotator")
    url = f"/api/dm/actions/?project={project.pk}"
    body = {"selectedItems": {"all": True, "excluded": []}}
    assert client_for(annotator).post(url + "&id=delete_tasks", body, format="json").status_code == 403
    assert Task.objects.count() == 5
    unknown = api.post(url + "&id=explode", body, format="json")
    assert unknown.status_code == 400 and "delete_tasks" in unknown.json()["detail"]
    assert api.post(url + "&id=delete_tasks", {}, format="json").status_code == 400  # no selection: nothing
    data_filter = {"conjunction": "or", "items": [
        {"filter": "filter:tasks:data.text", "operator": "equal", "type": "String", "value": "t1"},
        {"filter": "filter:tasks:data.text", "operator": "contains", "type": "String", "value": "4"},
    ]}  # fmt: skip
    done = api.post(url + "&id=delete_tasks", {**body, "filters": data_filter}, format="json").json()
    assert done["processed_items"] == 2
    assert sorted(t.data["text"] for t in Task.objects.all()) == ["t0", "t2", "t3"]


def test_task_list_query_and_ordering(api, project, tasks):
    for task, n in zip(tasks, [2, 0, 1, 0, 0], strict=True):
        Task.objects.filter(pk=task.pk).update(total_annotations=n)
    query = {"ordering": ["-tasks:total_annotations"], "filters": {"conjunction": "and", "items": [
        {"filter": "filter:tasks:total_annotations", "operator": "in", "type": "Number", "value": {"min": 1, "max": 5}}
    ]}}  # fmt: skip
    got = api.get("/api/tasks/", {"project": project.pk, "query": json.dumps(query)}).json()
    assert [t["id"] for t in got["tasks"]] == [tasks[0].pk, tasks[2].pk] and got["total"] == 2
    assert api.get("/api/tasks/", {"project": project.pk, "query": "{not json"}).status_code == 400


def test_bulk_annotations_keep_the_single_completion_rules(api, project, annotator, tasks):
    membership_set(project=project, user=annotator, role="annotator")
    result = [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}]
    made = api.post(
        "/api/annotations/bulk/",
        {"project": project.pk, "tasks": [tasks[0].pk, tasks[1].pk], "result": result},
        format="json",
    )
    assert made.status_code == 201 and len(made.json()) == 2
    again = api.post(
        "/api/annotations/bulk/", {"project": project.pk, "tasks": [tasks[0].pk], "result": result}, format="json"
    )
    assert again.status_code == 409 and Completion.objects.count() == 2  # one per annotator and task
    bad = api.post(
        "/api/annotations/bulk/",
        {"project": project.pk, "tasks": [tasks[2].pk], "result": [{"from_name": "x"}]},
        format="json",
    )
    assert bad.status_code == 400
    ids = list(Completion.objects.values_list("pk", flat=True))
    refused = client_for(annotator).post(
        "/api/annotations/bulk-delete/", {"project": project.pk, "ids": ids}, format="json"
    )
    assert refused.status_code == 403 and Completion.objects.count() == 2
    assert api.post("/api/annotations/bulk-delete/", {"project": project.pk, "ids": ids}, format="json").json() == {
        "deleted_count": 2
    }
    assert Task.objects.get(pk=tasks[0].pk).total_annotations == 0
