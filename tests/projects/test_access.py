"""The permission layer (projects/access.py, projects/permissions.py): 404 for what a user may not
see, 403 for what their role does not allow, the same through selectors, API, pages and services,
and the role read once per request."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotators.selectors import completion_for
from annotators.services import completion_create, quality_settings_update
from labelstudio.core.exceptions import ApplicationError, Forbidden, NotFound
from projects.access import MANAGERS, STAFF_ROLES, project_for, role_check
from projects.models import Membership
from projects.services import membership_set
from tasks.selectors import task_for
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
RESULT = [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}]


@pytest.fixture
def people(project):
    """A member in each role, a non-member of the same organization, an owner of another one."""
    users = {}
    for role in ("reviewer", "annotator"):
        users[role] = factories.make_user(role)
        membership_set(project=project, user=users[role], role=role)
    users["manager"] = project.created_by
    users["nonmember"] = factories.make_user("nonmember", org_role="annotator")
    other = factories.make_organization("Other")
    users["stranger"] = factories.make_user("stranger", org_role="owner", organization=other)
    return users


def test_project_for_is_404_unless_seen_and_403_without_the_role(project, people):
    assert project_for(people["annotator"], project.pk) == project
    assert project_for(people["manager"], str(project.pk), roles=MANAGERS) == project
    with pytest.raises(Forbidden) as refused:
        project_for(people["annotator"], project.pk, roles=STAFF_ROLES, denied="only staff look")
    assert refused.value.message == "only staff look" and refused.value.status_code == 403
    with pytest.raises(Forbidden, match="only the project's managers may do this"):
        project_for(people["reviewer"], project.pk, roles=MANAGERS)
    missing = project.pk + 1000
    for user, pk in [
        (people["nonmember"], project.pk),
        (people["stranger"], project.pk),
        (people["manager"], missing),
        (people["manager"], "abc"),
        (people["manager"], None),
        (people["manager"], 10**30),
    ]:
        with pytest.raises(NotFound) as hidden:
            project_for(user, pk, roles=MANAGERS)  # 404 before the role: existence never leaks
        assert hidden.value.message == "no such project", (user, pk)


def test_the_errors_are_api_errors_and_django_page_errors():
    assert issubclass(NotFound, ApplicationError) and issubclass(NotFound, Http404)
    assert issubclass(Forbidden, ApplicationError) and issubclass(Forbidden, PermissionDenied)


def test_task_and_completion_selectors_follow_the_project_rule(project, people):
    task = factories.make_task(project)
    other_task = factories.make_task(factories.make_project(created_by=people["manager"]))
    assert task_for(people["annotator"], task.pk).project.pk == project.pk
    with pytest.raises(NotFound, match="no such task"):
        task_for(people["nonmember"], task.pk)
    with pytest.raises(NotFound, match="no such task"):
        task_for(people["manager"], other_task.pk, project_id=project.pk)
    mine = completion_create(task=task, user=people["reviewer"], result=RESULT)
    assert completion_for(people["manager"], mine.pk) == mine
    with pytest.raises(NotFound, match="no such annotation"):
        completion_for(people["annotator"], mine.pk)  # another's work, annotators_see_all off
    with pytest.raises(NotFound):
        completion_for(people["stranger"], str(mine.pk))


def test_services_use_the_same_check(project, people):
    with pytest.raises(NotFound):
        role_check(people["stranger"], project)
    with pytest.raises(Forbidden, match="only managers change quality settings"):
        quality_settings_update(project=project, user=people["reviewer"], honeypot_share=0.1)
    assert role_check(people["reviewer"], project, STAFF_ROLES) == Membership.Role.REVIEWER


def test_api_views_answer_404_then_the_views_403(project, people):
    pid = project.pk
    annotator, reviewer = client_for(people["annotator"]), client_for(people["reviewer"])
    # ProjectStaff with write_roles: reviewers read exports, only managers write them
    assert reviewer.get(f"/api/projects/{pid}/exports/").status_code == 200
    refused = annotator.get(f"/api/projects/{pid}/exports/")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "only project managers and reviewers read exports"}
    refused = reviewer.post(f"/api/projects/{pid}/exports/", {}, format="json")
    assert refused.json() == {"detail": "only project managers manage exports"} and refused.status_code == 403
    # ProjectMember with write_roles: members list tasks, managers delete them
    assert annotator.get(f"/api/projects/{pid}/tasks/").status_code == 200
    refused = annotator.delete(f"/api/projects/{pid}/tasks/")
    assert refused.status_code == 403 and refused.json() == {"detail": "only managers delete tasks"}
    for who in ("nonmember", "stranger"):
        hidden = client_for(people[who]).get(f"/api/projects/{pid}/exports/")
        assert hidden.status_code == 404 and hidden.json() == {"detail": "no such project"}
    # a method the view lacks stays a 405, for anyone
    assert client_for(people["stranger"]).post(f"/api/projects/{pid}/next").status_code == 405


def test_pages_answer_404_and_403_pages(project, people):
    def page(user, url):
        client = Client()
        client.force_login(user)
        return client.get(url).status_code

    dashboard = f"/projects/{project.pk}/dashboard/"
    assert page(people["reviewer"], dashboard) == 200
    assert page(people["annotator"], dashboard) == 403
    assert page(people["nonmember"], dashboard) == 404
    assert page(people["stranger"], f"/projects/{project.pk}/settings/") == 404


def _role_reads(queries) -> int:
    """Statements that read a project membership's role (alone, or joined to the project/task)."""
    table = Membership._meta.db_table
    sqls = [q["sql"] or "" for q in queries]
    return sum(1 for sql in sqls if table in sql and "role" in sql.split("FROM")[0])


def test_the_role_is_read_once_per_request(project, people):
    """The view's check and the services' checks share one read (the user object of the request
    caches it); token authentication makes a new user object each request, as in production."""
    task = factories.make_task(project)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=people['annotator'])[0].key}")
    for method, url, body in [
        ("get", f"/api/projects/{project.pk}/next", None),
        ("post", f"/api/tasks/{task.pk}/drafts", {"result": RESULT}),
        ("post", f"/api/tasks/{task.pk}/annotations/", {"result": RESULT}),
        ("get", f"/api/projects/{project.pk}/review-queue", None),
    ]:
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, method)(url, body, format="json")
        assert response.status_code < 300, (url, response.content)
        assert _role_reads(queries.captured_queries) == 1, url
