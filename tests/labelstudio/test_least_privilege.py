"""Least privilege (issue 12): secrets are write-only, the members endpoint lists no strangers,
the last manager stays, annotators see no job parameters and cannot start slow outbound calls."""

from __future__ import annotations

import pytest
from rest_framework.throttling import ScopedRateThrottle

from labelstudio.core.models import Job
from labelstudio.webhooks.models import Webhook
from ml_backends.models import MLBackend
from projects.models import Membership
from projects.services import membership_set
from tests.conftest import client_for
from tests.factories import make_organization, make_project, make_user


@pytest.fixture
def member(project):
    user = make_user("annotator")
    membership_set(project=project, user=user, role="annotator")
    return user


@pytest.fixture
def backend(project):
    return MLBackend.objects.create(
        project=project, url="http://127.0.0.1:9/", title="m", extra_headers={"Authorization": "Bearer s3cret"}
    )


def test_ml_backend_headers_are_write_only(api, project, member, backend):
    for client in (api, client_for(member)):
        for url in (f"/api/ml/{backend.pk}/", f"/api/ml/?project={project.pk}"):
            response = client.get(url)
            assert response.status_code == 200
            assert b"s3cret" not in response.content
    one = api.get(f"/api/ml/{backend.pk}/").json()
    assert "extra_headers" not in one and one["extra_headers_set"] == ["Authorization"]
    assert client_for(member).get(f"/api/ml/{backend.pk}/").json()["extra_headers_set"] == []
    api.patch(f"/api/ml/{backend.pk}/", {"title": "renamed"}, format="json")
    backend.refresh_from_db()
    assert backend.extra_headers == {"Authorization": "Bearer s3cret"}  # unsent secrets are kept


def test_webhook_headers_are_write_only(api, project):
    hook = Webhook.objects.create(project=project, url="https://example.com/h", headers={"X-Secret": "s3cret"})
    response = api.get(f"/api/webhooks/{hook.pk}/")
    assert response.status_code == 200 and b"s3cret" not in response.content
    assert response.json()["headers_set"] == ["X-Secret"]


def test_s3_secrets_are_write_only(api, project):
    from tasks.models import S3ImportStorage

    storage = S3ImportStorage.objects.create(
        project=project, bucket="b", aws_access_key_id="AKIA", aws_secret_access_key="s3cret", aws_session_token="tok"
    )
    response = api.get(f"/api/storages/s3/{storage.pk}/")
    assert response.status_code == 200
    assert b"s3cret" not in response.content and b"tok" not in response.content


def test_members_endpoint_does_not_reveal_strangers(db):
    """People of another organization are not found by id or by username, and the answer is the
    same as for an id nobody has; a colleague of the same organization is added by username."""
    owner = make_user("mallory")
    stranger = make_user("stranger", organization=make_organization())
    colleague = make_user("colleague")
    project = make_project(created_by=owner)
    client = client_for(owner)
    response = client.post(f"/api/projects/{project.pk}/members/", {"user": stranger.pk}, format="json")
    assert response.status_code == 404
    assert stranger.email.encode() not in response.content
    by_name = client.post(f"/api/projects/{project.pk}/members/", {"username": stranger.username}, format="json")
    assert by_name.status_code == 404 and by_name.json() == response.json()
    assert not Membership.objects.filter(user=stranger).exists()
    # a user id that doesn't exist answers the same
    missing = client.post(f"/api/projects/{project.pk}/members/", {"user": stranger.pk + 1000}, format="json")
    assert missing.status_code == 404 and missing.json() == response.json()
    added = client.post(f"/api/projects/{project.pk}/members/", {"username": colleague.username}, format="json")
    assert added.status_code == 201 and added.json()["user"] == colleague.pk


def test_members_a_colleague_can_be_added_by_id(api, manager, project):
    colleague = make_user("colleague")
    other = make_project(created_by=manager)
    membership_set(project=other, user=colleague, role="annotator")
    response = api.post(
        f"/api/projects/{project.pk}/members/", {"user": colleague.pk, "role": "reviewer"}, format="json"
    )
    assert response.status_code == 201


def test_last_manager_cannot_leave_or_demote_themselves(api, manager, project):
    demote = api.post(f"/api/projects/{project.pk}/members/", {"user": manager.pk, "role": "annotator"}, format="json")
    assert demote.status_code == 400 and "last manager" in demote.json()["detail"]
    leave = api.delete(f"/api/projects/{project.pk}/members/", {"user": manager.pk}, format="json")
    assert leave.status_code == 400 and "last manager" in leave.json()["detail"]
    assert Membership.objects.get(project=project, user=manager).role == "manager"
    second = make_user("manager")
    membership_set(project=project, user=second, role="manager")
    assert api.delete(f"/api/projects/{project.pk}/members/", {"user": manager.pk}, format="json").status_code == 204


def test_annotators_see_no_job_parameters(api, manager, project, member):
    job = Job.objects.create(
        kind="export", project=project, created_by=manager, params={"filters": {"secret_filter": 1}}
    )
    mine = api.get(f"/api/jobs/{job.pk}/").json()
    assert mine["params"] == {"filters": {"secret_filter": 1}}
    theirs = client_for(member).get(f"/api/jobs/{job.pk}/")
    assert theirs.status_code == 200 and theirs.json()["params"] == {}
    listed = client_for(member).get(f"/api/jobs/?project={project.pk}").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert rows and all(r["params"] == {} for r in rows)


def test_annotators_cannot_call_the_backend(project, member, backend):
    client = client_for(member)
    assert client.get(f"/api/ml/{backend.pk}/health").status_code == 403
    assert client.post(f"/api/ml/{backend.pk}/health").status_code == 403
    assert client.get(f"/api/ml/{backend.pk}/versions").status_code == 403


def test_backend_checks_are_throttled_per_user(api, project, backend, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"ml_check": "2/min", "ml_interactive": "2/min"})
    codes = [api.post(f"/api/ml/{backend.pk}/health").status_code for _ in range(3)]
    assert codes[:2] == [200, 200] and codes[2] == 429
    other = make_user("manager")
    membership_set(project=project, user=other, role="manager")
    assert client_for(other).post(f"/api/ml/{backend.pk}/health").status_code == 200


def test_settings_page_member_forms_with_junk_ids(client, manager, project):
    client.force_login(manager)
    url = f"/projects/{project.pk}/settings/"
    for section in ("member-role", "member-remove"):
        response = client.post(url, {"section": section, "user": "abc", "role": "annotator"})
        assert response.status_code in (200, 302)
    last = client.post(url, {"section": "member-role", "user": str(manager.pk), "role": "annotator"})
    assert last.status_code == 200 and b"last manager" in last.content
    assert Membership.objects.get(project=project, user=manager).role == "manager"


def test_assignments_do_not_tell_strangers_from_missing_users(api, project):
    from tests.factories import make_task

    task = make_task(project)
    stranger = make_user("stranger")
    answers = [
        api.post(f"/api/projects/{project.pk}/assignments/", {"users": [uid], "tasks": [task.pk]}, format="json")
        for uid in (stranger.pk, stranger.pk + 1000)
    ]
    assert [a.status_code for a in answers] == [400, 400]
    assert "not members" in answers[0].json()["detail"] and "not members" in answers[1].json()["detail"]
