"""People API in Label Studio's shape, per organization role: who may create projects, who sees
whom, role changes, invitations (link and e-mail), deactivation."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotators.models import Completion
from labelstudio.core import orgs
from tests import factories
from tests.conftest import client_for

ROLES = ("owner", "administrator", "manager", "reviewer", "annotator")


@pytest.fixture
def org(db):
    return factories.make_organization("Acme")


@pytest.fixture
def people(org):
    return {role: factories.make_user(role, org_role=role, organization=org) for role in ROLES}


@pytest.mark.parametrize(
    "role,allowed",
    [("owner", True), ("administrator", True), ("manager", True), ("reviewer", False), ("annotator", False)],
)
def test_who_may_create_projects_api_and_page(people, role, allowed):
    client = client_for(people[role])
    r = client.post("/api/projects/", {"title": "x", "label_config": factories.TEXT_CONFIG}, format="json")
    assert r.status_code == (201 if allowed else 403), r.content
    if allowed:
        assert r.json()["id"] and orgs.org_id_of(people[role]) == people[role].org_member.organization_id
    browser = Client()
    browser.force_login(people[role])
    page = browser.get("/projects/").content.decode()
    assert ("Create project" in page) is allowed
    assert browser.get("/projects/new/").status_code == (200 if allowed else 403)


def test_project_creation_follows_the_setting_and_django_rights(people, settings):
    from django.contrib.auth.models import Permission

    settings.PROJECT_CREATOR_ROLES = ["owner"]
    body = {"title": "x", "label_config": factories.TEXT_CONFIG}
    assert client_for(people["manager"]).post("/api/projects/", body, format="json").status_code == 403
    annotator = people["annotator"]
    annotator.user_permissions.add(Permission.objects.get(codename="add_project"))
    annotator = type(annotator).objects.get(pk=annotator.pk)
    assert client_for(annotator).post("/api/projects/", body, format="json").status_code == 201
    staff = factories.make_user("staff", org_role="annotator", is_staff=True)
    assert client_for(staff).post("/api/projects/", body, format="json").status_code == 201


def test_users_list_is_a_plain_list_of_the_organization_in_label_studios_shape(people, org):
    other = factories.make_user("elsewhere", organization=factories.make_organization())
    data = client_for(people["manager"]).get("/api/users").json()
    assert isinstance(data, list)
    assert {u["username"] for u in data} == {u.username for u in people.values()}
    assert other.username not in {u["username"] for u in data}
    row = next(u for u in data if u["id"] == people["reviewer"].pk)
    assert row["org_membership"] == [{"role": "RE", "active": True, "organization_id": org.pk}]
    assert row["role"] == "reviewer" and row["active_organization"] == org.pk
    for field in ("first_name", "last_name", "initials", "phone", "email"):
        assert isinstance(row[field], str)
    # reviewers and annotators see only themselves
    for role in ("reviewer", "annotator"):
        rows = client_for(people[role]).get("/api/users/").json()
        assert [u["id"] for u in rows] == [people[role].pk]
        assert client_for(people[role]).get(f"/api/users/{people['owner'].pk}/").status_code == 404


def test_create_update_and_delete_users(people, org):
    admin = client_for(people["administrator"])
    r = admin.post("/api/users/", {"username": "newbie", "email": "n@example.com", "role": "RE"}, format="json")
    assert r.status_code == 201, r.content
    new_id = r.json()["id"]
    assert r.json()["role"] == "reviewer" and r.json()["active_organization"] == org.pk
    # not above one's own role
    r = admin.post("/api/users/", {"username": "boss", "role": "owner"}, format="json")
    assert r.status_code == 400 and "above your own" in r.json()["detail"]
    # managers do not manage people
    assert client_for(people["manager"]).post("/api/users/", {"username": "x"}, format="json").status_code == 403
    r = admin.patch(f"/api/users/{new_id}/", {"first_name": "Ada", "role": "MA"}, format="json")
    assert r.status_code == 200 and r.json()["first_name"] == "Ada" and r.json()["role"] == "manager"
    # an annotator may edit themself, not others, and not their role
    ann = client_for(people["annotator"])
    assert ann.patch(f"/api/users/{people['annotator'].pk}/", {"last_name": "Z"}, format="json").status_code == 200
    assert ann.patch(f"/api/users/{people['annotator'].pk}/", {"role": "owner"}, format="json").status_code == 403
    # delete = deactivate
    assert admin.delete(f"/api/users/{new_id}/").status_code == 204
    assert admin.get(f"/api/users/{new_id}/").json()["is_active"] is False


def test_current_user_token_and_hotkeys(people):
    user = people["annotator"]
    client = client_for(user)
    me = client.get("/api/current-user").json()
    assert me["id"] == user.pk and me["username"] == user.username
    who = client.get("/api/current-user/whoami").json()
    assert who["id"] == user.pk and who["can_create_projects"] is False
    token = client.get("/api/current-user/token").json()["token"]
    assert Token.objects.get(user=user).key == token
    new = client.post("/api/current-user/reset-token").json()["token"]
    assert new != token and Token.objects.get(user=user).key == new
    by_token = APIClient()
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert by_token.get("/api/current-user").status_code == 401
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {new}")
    assert by_token.get("/api/current-user").json()["id"] == user.pk
    r = client.patch(
        "/api/current-user/hotkeys/", {"custom_hotkeys": {"annotation:submit": "ctrl+enter"}}, format="json"
    )
    assert r.status_code == 200
    assert client.get("/api/current-user/hotkeys").json() == {"custom_hotkeys": {"annotation:submit": "ctrl+enter"}}
    assert client.patch("/api/current-user/hotkeys", {"custom_hotkeys": ["x"]}, format="json").status_code == 400


def test_organizations_and_memberships(people, org):
    elsewhere = factories.make_organization()
    owner = client_for(people["owner"])
    assert [o["id"] for o in owner.get("/api/organizations/").json()] == [org.pk]
    assert owner.get(f"/api/organizations/{org.pk}").json()["title"] == "Acme"
    assert owner.get(f"/api/organizations/{elsewhere.pk}").status_code == 404
    page = owner.get(f"/api/organizations/{org.pk}/memberships?page_size=2").json()
    assert page["count"] == 5 and len(page["results"]) == 2 and page["next"]
    assert page["results"][0]["user"]["id"] and page["results"][0]["role"] in orgs.FROM_LS_CODE
    # the legacy client's User.set_role: PATCH {user_id, role: code}
    r = owner.patch(
        f"/api/organizations/{org.pk}/memberships", {"user_id": people["annotator"].pk, "role": "RE"}, format="json"
    )
    assert r.status_code == 200 and r.json()["role"] == "RE"
    r = client_for(people["manager"]).patch(
        f"/api/organizations/{org.pk}/memberships", {"user_id": people["annotator"].pk, "role": "MA"}, format="json"
    )
    assert r.status_code == 403
    # an administrator cannot touch the owner
    r = client_for(people["administrator"]).patch(
        f"/api/organizations/{org.pk}/memberships", {"user_id": people["owner"].pk, "role": "AN"}, format="json"
    )
    assert r.status_code == 400
    # annotators see only their own membership
    rows = client_for(people["reviewer"]).get(f"/api/organizations/{org.pk}/memberships").json()["results"]
    assert [m["user"]["id"] for m in rows] == [people["reviewer"].pk]


def _signup(client, url, username, password="a-Long-unusual-pass-42", email=None):
    token = re.search(r"token=([\w-]+)", url).group(1)
    return client.post(
        f"/user/signup/?token={token}",
        {"token": token, "username": username, "email": email or f"{username}@example.com", "password": password},
    )


def test_invite_link_role_expiry_reset_and_revoke(people, org, client):
    admin = client_for(people["administrator"])
    for role in ("reviewer", "annotator", "manager", "owner"):
        assert client_for(people[role]).get("/api/invite").status_code in (403,) or role == "owner"
    r = admin.post("/api/invite", {"role": "owner"}, format="json")
    assert r.status_code == 400, "an administrator cannot invite owners"
    r = admin.post("/api/invite", {"role": "manager", "expires_in_days": 2}, format="json")
    assert r.status_code == 201 and r.json()["role"] == "manager"
    url = r.json()["invite_url"]
    assert admin.get("/api/invite").json()["invite_url"] == url
    assert _signup(client, url, "joiner").status_code == 302
    assert client.get("/projects/").status_code == 200  # signed in by the signup
    joiner = type(people["owner"]).objects.get(username="joiner")
    assert orgs.org_id_of(joiner) == org.pk and orgs.org_role(joiner) == "manager"
    # weak passwords are refused on signup
    r = _signup(client, url, "weakling", password="12345678")
    assert r.status_code == 200 and "too common" in r.content.decode()
    # reset-token: the old link stops working
    new = admin.post("/api/invite/reset-token").json()
    assert new["token"] != url.split("token=")[1] and new["role"] == "manager"
    assert _signup(client, url, "late").status_code == 404
    assert admin.post("/api/invite/revoke").status_code == 204
    assert _signup(client, new["invite_url"], "late2").status_code == 404


def test_invite_link_is_capped_by_its_creators_current_role(people, client):
    url = (
        client_for(people["administrator"])
        .post("/api/invite", {"role": "administrator"}, format="json")
        .json()["invite_url"]
    )
    member = people["administrator"].org_member
    member.role = "annotator"  # demoted after making the link
    member.save()
    assert _signup(client, url, "capped").status_code == 302
    assert orgs.org_role(type(people["owner"]).objects.get(username="capped")) == "annotator"


def test_expired_link_is_refused(people, client):
    from datetime import timedelta

    from django.utils import timezone

    from annotators.models import Invite

    url = client_for(people["owner"]).post("/api/invite", {"expires_in_days": 1}, format="json").json()["invite_url"]
    Invite.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    r = _signup(client, url, "tooslow")
    assert r.status_code == 404 and "not valid any more" in r.content.decode()


def test_email_invitations(people, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = client_for(people["owner"]).post(
            "/api/invite/send-email", {"emails": ["ann@example.org"], "role": "reviewer"}, format="json"
        )
    assert r.status_code == 200 and r.json() == {"invited": ["ann@example.org"]}
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ann@example.org"]
    url = re.search(r"http\S+", mail.outbox[0].body).group(0)
    assert _signup(client, url, "ann", email="someone@else.org").status_code == 200  # wrong address
    assert _signup(client, url, "ann", email="ann@example.org").status_code == 302
    assert orgs.org_role(type(people["owner"]).objects.get(username="ann")) == "reviewer"
    assert _signup(APIClient(), url, "ann2", email="ann@example.org").status_code == 404  # used once


def test_deactivation_stops_token_and_sessions_and_keeps_completions(people, client):
    annotator = people["annotator"]
    project = factories.make_project(created_by=people["manager"])
    from projects.services import membership_set

    membership_set(project=project, user=annotator, role="annotator")
    task = factories.make_task(project)
    completion = Completion.objects.create(task=task, project=project, completed_by=annotator, result=[])
    token = Token.objects.create(user=annotator)
    by_token = APIClient()
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert by_token.get("/api/current-user").status_code == 200
    assert client.login(username=annotator.username, password="pass12345")
    assert client.get("/projects/").status_code == 200
    assert client_for(people["administrator"]).delete(f"/api/users/{annotator.pk}/").status_code == 204
    assert by_token.get("/api/current-user").status_code == 401
    assert client.get("/projects/").status_code == 302  # session ended: back to log in
    completion.refresh_from_db()
    assert completion.completed_by_id == annotator.pk
    assert (
        client_for(people["manager"]).get(f"/api/annotations/{completion.pk}/").json()["completed_by"] == annotator.pk
    )
    # a deactivated user cannot be added to a project
    other = factories.make_project(created_by=people["manager"])
    r = client_for(people["manager"]).post(
        f"/api/projects/{other.pk}/members/", {"user": annotator.pk, "role": "annotator"}, format="json"
    )
    assert r.status_code == 400


def test_members_of_another_organization_cannot_join_a_project(people):
    outsider = factories.make_user("outsider", organization=factories.make_organization())
    project = factories.make_project(created_by=people["manager"])
    r = client_for(people["manager"]).post(
        f"/api/projects/{project.pk}/members/", {"user": outsider.pk, "role": "annotator"}, format="json"
    )
    assert r.status_code == 404


def test_an_administrator_cannot_take_over_an_owner(people):
    admin = client_for(people["administrator"])
    owner = people["owner"]
    for change in ({"email": "mine@example.com"}, {"password": "Takeover-pass-99"}, {"is_active": False}):
        r = admin.patch(f"/api/users/{owner.pk}/", change, format="json")
        assert r.status_code == 400 and "above yours" in r.json()["detail"], change
    assert admin.delete(f"/api/users/{owner.pk}/").status_code == 400
    owner.refresh_from_db()
    assert owner.is_active and owner.check_password("pass12345") and owner.email != "mine@example.com"
    # the people page refuses too
    browser = Client()
    browser.force_login(people["administrator"])
    r = browser.post(
        "/people/", {"action": "reset-password", "user": owner.pk, "password": "Takeover-pass-99"}, follow=True
    )
    assert "above yours" in r.content.decode()
    owner.refresh_from_db()
    assert owner.check_password("pass12345")
    # but an administrator manages those below
    r = admin.patch(f"/api/users/{people['annotator'].pk}/", {"password": "Fresh-pass-for-ann"}, format="json")
    assert r.status_code == 200


def test_people_page_invites_and_revokes(people, client, django_capture_on_commit_callbacks):
    page = Client()
    page.force_login(people["administrator"])
    with django_capture_on_commit_callbacks(execute=True):
        page.post(
            "/people/", {"action": "invite-email", "emails": "p1@example.com, p2@example.com", "role": "reviewer"}
        )
    assert [m.to for m in mail.outbox] == [["p1@example.com"], ["p2@example.com"]]
    html = page.get("/people/").content.decode()
    assert 'data-email="p1@example.com"' in html and 'data-email="p2@example.com"' in html
    page.post("/people/", {"action": "invite-email-revoke", "email": "p1@example.com"})
    html = page.get("/people/").content.decode()
    assert 'data-email="p1@example.com"' not in html and 'data-email="p2@example.com"' in html
    url = re.search(r"http\S+", mail.outbox[0].body).group(0)
    assert _signup(client, url, "p1", email="p1@example.com").status_code == 404
    # the administrator cannot invite above themself from the page either
    r = page.post("/people/", {"action": "invite-link", "role": "owner"}, follow=True)
    assert "above your own" in r.content.decode()
    # annotators and managers get 403 on the people page
    for role in ("annotator", "reviewer", "manager"):
        other = Client()
        other.force_login(people[role])
        assert other.get("/people/").status_code == 403
