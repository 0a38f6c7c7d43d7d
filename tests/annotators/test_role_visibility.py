"""Each role sees its own: per role (manager, reviewer, annotator, non-member), which project tabs the
pages offer, what the data manager shows of other people's work, and what the API answers about
who labeled what. Annotators see others' names, completions and agreement only when the project's
``annotators_see_all`` says so."""

import re

import pytest
from django.test import Client

from annotators.services import completion_create, completion_review
from projects.models import Membership
from projects.services import membership_set
from tests import factories
from tests.annotators.conftest import choice
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

TABS = ("Data", "Label", "Review", "Dashboard", "Import", "Export", "Models", "Settings")


@pytest.fixture
def team(project, manager):
    people = {"manager": manager}
    for name, role in (("reviewer", "reviewer"), ("alice", "annotator"), ("bob", "annotator")):
        people[name] = factories.make_user(name)
        membership_set(project=project, user=people[name], role=Membership.Role(role))
    people["outsider"] = factories.make_user("outsider")
    tasks = [factories.make_task(project, {"text": f"t{i}"}) for i in range(3)]
    # bob labels tasks 0 and 1, alice task 0 and 2; bob's task-1 work is rejected
    completion_create(task=tasks[0], user=people["bob"], result=choice("Positive"))
    rejected = completion_create(task=tasks[1], user=people["bob"], result=choice("Positive"))
    completion_create(task=tasks[0], user=people["alice"], result=choice("Negative"))
    completion_create(task=tasks[2], user=people["alice"], result=choice("Positive"))
    completion_review(completion=rejected, reviewer=people["reviewer"], action="reject", comment="no")
    return people, tasks


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def without_tokens(html: str) -> str:
    """The page without its CSRF tokens: random letters that may spell a name ("...LbobUx...")."""
    return re.sub(r'(name="csrfmiddlewaretoken" value=|csrf-token" content=)"[^"]*"', r'\1""', html)


def tabs_on(html: str) -> list[str]:
    nav = re.search(r'<nav class="tabs".*?</nav>', html, re.S).group(0)
    return [t for t in TABS if re.search(rf">{t}</a>", nav)]


def task_ids(user, **params) -> set[int]:
    body = client_for(user).get("/api/tasks/", params).json()
    return {
        t["id"] for t in (body["tasks"] if isinstance(body, dict) and "tasks" in body else body.get("results", body))
    }


def test_manager_sees_everything(project, team):
    people, tasks = team
    page = browser(people["manager"]).get(f"/projects/{project.pk}/data/").content.decode()
    assert tabs_on(page) == list(TABS)
    assert "bob" in page and "alice" in page
    assert task_ids(people["manager"], project=project.pk, annotator=people["bob"].pk) == {tasks[0].pk, tasks[1].pk}
    assert browser(people["manager"]).get(f"/projects/{project.pk}/dashboard/").status_code == 200


def test_reviewer_sees_the_work_but_not_the_manager_tabs(project, team):
    people, tasks = team
    page = browser(people["reviewer"]).get(f"/projects/{project.pk}/data/").content.decode()
    assert tabs_on(page) == ["Data", "Label", "Review", "Dashboard", "Export"]
    assert "bob" in page and "alice" in page
    assert task_ids(people["reviewer"], project=project.pk, annotator=people["bob"].pk) == {tasks[0].pk, tasks[1].pk}
    assert client_for(people["reviewer"]).get(f"/api/projects/{project.pk}/agreement/").status_code == 200
    assert browser(people["reviewer"]).get(f"/projects/{project.pk}/dashboard/").status_code == 200


def test_annotator_sees_only_their_own(project, team):
    people, tasks = team
    alice, bob = people["alice"], people["bob"]
    page = without_tokens(browser(alice).get(f"/projects/{project.pk}/data/").content.decode())
    assert tabs_on(page) == ["Data", "Label", "Review"]
    assert "bob" not in page  # no names of other annotators, no agreement with them
    assert 'class="agreement"' not in page
    # the API doesn't tell her what bob labeled, reviewed or had rejected
    assert task_ids(alice, project=project.pk, annotator=bob.pk) == set()
    assert task_ids(alice, annotator=bob.pk) == set()
    assert task_ids(alice, project=project.pk, annotator=alice.pk) == {tasks[0].pk, tasks[2].pk}
    assert task_ids(alice, project=project.pk, review_status="rejected") == set()
    assert task_ids(bob, project=project.pk, review_status="rejected") == {tasks[1].pk}
    own = client_for(alice).get(f"/api/projects/{project.pk}/annotations/").json()["results"]
    assert {c["completed_by"] for c in own} == {alice.pk}
    assert client_for(alice).get(f"/api/projects/{project.pk}/agreement/").status_code == 403
    assert client_for(alice).get(f"/api/projects/{project.pk}/stats/").status_code == 403
    assert browser(alice).get(f"/projects/{project.pk}/dashboard/").status_code == 403
    assert "bob" not in without_tokens(browser(alice).get(f"/projects/{project.pk}/settings/").content.decode())
    label = browser(alice).get(f"/projects/{project.pk}/label/").content.decode()
    assert '"bob"' not in label and '"reviewer' in label  # reviewers' names: they write to her


def test_annotators_see_each_other_when_the_project_allows(project, team):
    people, tasks = team
    project.annotators_see_all = True
    project.save()
    alice, bob = people["alice"], people["bob"]
    page = browser(alice).get(f"/projects/{project.pk}/data/").content.decode()
    assert tabs_on(page) == ["Data", "Label", "Review"]
    assert "bob" in page
    assert task_ids(alice, project=project.pk, annotator=bob.pk) == {tasks[0].pk, tasks[1].pk}


def test_non_member_sees_nothing(project, team):
    people, tasks = team
    outsider = people["outsider"]
    for path in ("data/", "label/", "review/", "dashboard/", "export/", "settings/"):
        assert browser(outsider).get(f"/projects/{project.pk}/{path}").status_code == 404, path
    assert task_ids(outsider, annotator=people["bob"].pk) == set()
    assert client_for(outsider).get(f"/api/projects/{project.pk}/tasks/").status_code == 404
    assert client_for(outsider).get(f"/api/projects/{project.pk}/annotations/").status_code == 404
