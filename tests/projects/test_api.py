"""Projects through the API: CRUD, config validation naming tag and line, permissions."""

import pytest

from projects.models import Membership
from tests.conftest import client_for
from tests.factories import TEXT_CONFIG, make_task

pytestmark = pytest.mark.django_db


def test_create_project_makes_creator_manager(api, manager):
    r = api.post("/api/projects/", {"title": "Sentiment", "label_config": TEXT_CONFIG}, format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["title"] == "Sentiment"
    assert body["parsed_label_config"]["sentiment"]["to_name"] == ["text"]
    assert Membership.objects.get(project_id=body["id"], user=manager).role == "manager"


def test_broken_config_names_tag_and_line(api):
    config = '<View>\n  <Text name="text" value="$text"/>\n  <Choices name="c" toName="nope">\n    <Choice value="A"/>\n  </Choices>\n</View>'
    r = api.post("/api/projects/", {"title": "x", "label_config": config}, format="json")
    assert r.status_code == 400
    body = r.json()
    assert body["line"] == 3
    assert body["tag"] == "Choices"
    assert "nope" in body["detail"]


def test_validate_endpoint(api):
    r = api.post("/api/projects/validate/", {"label_config": "<View><Text name='t' value='$t'/>"}, format="json")
    assert r.status_code == 400
    assert "line" in r.json()
    r = api.post("/api/projects/validate/", {"label_config": TEXT_CONFIG}, format="json")
    assert r.json() == {"valid": True, "data_keys": ["text"], "warnings": []}
    twice = TEXT_CONFIG.replace("</Choices>", '<Choice value="Positive"/></Choices>')
    r = api.post("/api/projects/validate/", {"label_config": twice}, format="json")
    assert r.status_code == 200 and "'Positive' appears more than once" in r.json()["warnings"][0]


def test_config_change_that_orphans_completions_is_refused(api, project, manager):
    from annotators.models import Completion

    task = make_task(project)
    Completion.objects.create(
        task=task,
        project=project,
        completed_by=manager,
        result=[
            {
                "id": "a",
                "from_name": "sentiment",
                "to_name": "text",
                "type": "choices",
                "value": {"choices": ["Positive"]},
            }
        ],
    )
    without_positive = TEXT_CONFIG.replace('<Choice value="Positive"/>', "")
    r = api.patch(f"/api/projects/{project.pk}/", {"label_config": without_positive}, format="json")
    assert r.status_code == 400
    assert "Positive" in r.json()["detail"]
    project.refresh_from_db()
    assert 'value="Positive"' in project.label_config
    added = TEXT_CONFIG.replace('<Choice value="Neutral"/>', '<Choice value="Neutral"/><Choice value="Mixed"/>')
    assert api.patch(f"/api/projects/{project.pk}/", {"label_config": added}, format="json").status_code == 200


def test_non_member_gets_404_and_annotator_cannot_edit(project, annotator):
    outsider = client_for(annotator)
    assert outsider.get(f"/api/projects/{project.pk}/").status_code == 404
    assert project.pk not in [p["id"] for p in outsider.get("/api/projects/").json()["results"]]
    Membership.objects.create(project=project, user=annotator, role="annotator")
    member = client_for(annotator)
    assert member.get(f"/api/projects/{project.pk}/").status_code == 200
    assert member.patch(f"/api/projects/{project.pk}/", {"title": "mine"}, format="json").status_code == 403


def test_list_counts_tasks(api, project):
    make_task(project)
    make_task(project, is_labeled=True)
    row = next(p for p in api.get("/api/projects/").json()["results"] if p["id"] == project.pk)
    assert row["task_number"] == 2
    assert row["finished_task_number"] == 1


def test_members_endpoint(api, project, annotator):
    r = api.post(
        f"/api/projects/{project.pk}/members/", {"username": annotator.username, "role": "reviewer"}, format="json"
    )
    assert r.status_code == 201
    roles = {m["user"]: m["role"] for m in api.get(f"/api/projects/{project.pk}/members/").json()}
    assert roles[annotator.pk] == "reviewer"


def test_templates_gallery_served(api):
    templates = api.get("/api/templates/").json()["templates"]
    assert len(templates) >= 15
    assert all(t["config"].strip().startswith("<View") for t in templates)


def test_openapi_docs_and_token_auth(manager, client):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    token = Token.objects.create(user=manager)
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert c.get("/api/projects/").status_code == 200
    assert APIClient().get("/api/projects/").status_code in (401, 403)
    client.force_login(manager)
    assert client.get("/api/docs/").status_code == 200
    assert client.get("/api/schema/").status_code == 200


def test_raising_overlap_unlabels_tasks(api, project, manager):
    from annotators.models import Completion
    from tasks.services import task_counters_refresh

    task = make_task(project)
    Completion.objects.create(task=task, project=project, completed_by=manager, result=[])
    task_counters_refresh([task.pk])
    task.refresh_from_db()
    assert task.is_labeled
    assert api.patch(f"/api/projects/{project.pk}/", {"maximum_annotations": 2}, format="json").status_code == 200
    task.refresh_from_db()
    assert not task.is_labeled and task.total_annotations == 1


def test_label_studio_project_fields_are_stored_or_refused_never_dropped(api):
    created = api.post(
        "/api/projects/",
        {"title": "ls", "label_config": TEXT_CONFIG, "is_published": True, "enable_empty_annotation": False,
         "overlap_cohort_percentage": 100, "control_weights": {"sentiment": {"overall": 1.0, "labels": {}}}},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    body = api.get(f"/api/projects/{created.json()['id']}/").json()
    assert body["is_published"] is True and body["enable_empty_annotation"] is False
    assert body["show_collab_predictions"] is True and body["overlap_cohort_percentage"] == 100
    for field, value in [("overlap_cohort_percentage", 30), ("control_weights", {"sentiment": {"overall": 2}}),
                         ("show_collab_predictions", False), ("min_annotations_to_start_training", 10)]:  # fmt: skip
        refused = api.patch(f"/api/projects/{body['id']}/", {field: value}, format="json")
        assert refused.status_code == 400 and refused.json()["field"] == field, field
        assert field in refused.json()["detail"]
