"""Server-rendered pages: who may open them, what they render, and the data manager's reads."""

import json

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from projects.models import Project
from tests import factories

PAGES = ["", "data/", "settings/", "import/", "export/", "label/", "review/", "dashboard/", "ml/"]


@pytest.fixture
def client_for(db):
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.mark.parametrize("suffix", PAGES)
def test_project_pages_render_for_members_and_404_for_others(client_for, manager, annotator, project, suffix):
    url = f"/projects/{project.pk}/{suffix}"
    response = client_for(manager).get(url)
    assert response.status_code == 200, url
    body = response.content.decode()
    assert 'name="csrf-token"' in body and project.title in body
    assert client_for(annotator).get(url).status_code == 404  # not a member: the project does not exist
    assert Client().get(url).status_code == 302  # anonymous: to the login page


def test_project_list_shows_progress_and_by_me(client_for, manager, project):
    from annotators.services import completion_create

    tasks = [factories.make_task(project) for _ in range(4)]
    completion_create(
        task=tasks[0],
        user=manager,
        result=[{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}],
    )
    body = client_for(manager).get("/projects/").content.decode()
    assert 'id="projects"' in body
    assert 'data-col="tasks">4<' in body and 'data-col="by-me">1<' in body and 'data-col="completed">1<' in body


def test_create_page_offers_the_gallery_and_keeps_the_lead_ids(client_for, manager):
    body = client_for(manager).get("/projects/new/").content.decode()
    for needle in (
        'id="project-create"',
        'id="label-config"',
        'id="config-error"',
        'id="templates-data"',
        'data-slug="text-classification"',
    ):
        assert needle in body


def test_create_refuses_a_broken_config_with_its_line(client_for, manager):
    config = (
        '<View>\n<Text name="t" value="$t"/>\n<Choices name="c" toName="zzz"><Choice value="A"/></Choices>\n</View>'
    )
    response = client_for(manager).post("/projects/new/", {"title": "x", "label_config": config})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-line="3"' in body and "zzz" in body


def test_config_preview_returns_sample_data_or_errors_at_lines(client_for, manager):
    client = client_for(manager)
    ok = client.post(
        "/projects/config/preview", json.dumps({"label_config": factories.TEXT_CONFIG}), content_type="application/json"
    ).json()
    assert ok["valid"] and set(ok["sample_task"]) == {"text"}
    bad = client.post(
        "/projects/config/preview",
        json.dumps({"label_config": "<View>\n<Image name='i'/>\n</View>"}),
        content_type="application/json",
    ).json()
    assert not bad["valid"] and bad["errors"][0]["line"] == 2


def test_config_preview_needs_csrf(manager):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    response = client.post("/projects/config/preview", "{}", content_type="application/json")
    assert response.status_code == 403


def test_settings_saves_through_services_and_only_for_managers(client_for, manager, annotator, project):
    from projects.services import membership_set

    membership_set(project=project, user=annotator, role="annotator")
    r = client_for(manager).post(
        f"/projects/{project.pk}/settings/",
        {
            "section": "queue",
            "maximum_annotations": "2",
            "sampling": "Uniform sampling",
            "skip_queue": "REQUEUE_FOR_ME",
            "task_lock_ttl": "300",
            "model_version": "",
            "show_skip_button": "on",
        },
    )
    assert r.status_code == 302
    project.refresh_from_db()
    assert (
        project.maximum_annotations == 2 and project.sampling == "Uniform sampling" and not project.annotators_see_all
    )
    client_for(annotator).post(f"/projects/{project.pk}/settings/", {"section": "general", "title": "hacked"})
    project.refresh_from_db()
    assert project.title != "hacked"


@pytest.mark.parametrize(
    ("section", "sent", "message"),
    [
        ("queue", {"maximum_annotations": "two"}, "maximum annotations must be a whole number"),
        (
            "queue",
            {"maximum_annotations": "-1"},
            "maximum annotations: Ensure this value is greater than or equal to 0.",
        ),
        ("queue", {"sampling": "bogus"}, "sampling: Select a valid choice."),
        ("general", {"title": ""}, "title: This field is required."),
        ("general", {"color": "#" + "0" * 20}, "color: Ensure this value has at most 16 characters"),
    ],
)
def test_settings_refuses_a_bad_value_with_a_message_and_changes_nothing(
    client_for, manager, project, section, sent, message
):
    """The form's fields are the model's: a value the model refuses is a message on the page."""
    valid = {
        "queue": {
            "maximum_annotations": "2",
            "sampling": "Uniform sampling",
            "skip_queue": "REQUEUE_FOR_ME",
            "task_lock_ttl": "300",
        },
        "general": {"title": "Renamed", "color": "#123456"},
    }[section]
    before = Project.objects.values().get(pk=project.pk)
    r = client_for(manager).post(f"/projects/{project.pk}/settings/", {"section": section, **valid, **sent})
    assert r.status_code == 200
    assert any(str(m).startswith(message) for m in get_messages(r.wsgi_request))
    assert Project.objects.values().get(pk=project.pk) == before


def test_data_manager_escapes_task_data(client_for, manager, project):
    factories.make_task(project, {"text": "<script>alert(1)</script>"})
    body = client_for(manager).get(f"/projects/{project.pk}/").content.decode()
    assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)" in body


def test_compare_page_404_for_a_task_of_another_project(client_for, manager, project):
    other = factories.make_project(created_by=manager)
    task = factories.make_task(other)
    assert client_for(manager).get(f"/projects/{project.pk}/tasks/{task.pk}/compare/").status_code == 404
    assert client_for(manager).get(f"/projects/{other.pk}/tasks/{task.pk}/compare/").status_code == 200


class TestKeysetPages:
    def test_walks_forward_and_back_in_any_order(self, project):
        from tasks import datamanager
        from tasks.models import Task

        Task.objects.bulk_create(
            [Task(project=project, data={"text": str(i)}, total_annotations=i % 3) for i in range(25)]
        )
        qs = Task.objects.filter(project=project)
        for sort, desc in (("id", False), ("id", True), ("completions", True), ("completions", False)):
            seen, after = [], ""
            while True:
                page = datamanager.task_page(qs, sort=sort, desc=desc, after=after, size=10)
                seen += [t.pk for t in page.tasks]
                if not page.next_cursor:
                    break
                after = page.next_cursor
            assert sorted(seen) == sorted(qs.values_list("pk", flat=True)) and len(seen) == 25, sort
            back = datamanager.task_page(qs, sort=sort, desc=desc, before=page.prev_cursor, size=10)
            assert len(back.tasks) == 10 and back.tasks[-1].pk == seen[19]

    def test_no_count_query_per_page(self, project, django_assert_max_num_queries):
        from tasks import datamanager
        from tasks.models import Task

        Task.objects.bulk_create([Task(project=project, data={"text": str(i)}) for i in range(30)])
        qs = Task.objects.filter(project=project)
        with django_assert_max_num_queries(1) as ctx:
            datamanager.task_page(qs, size=10)
        assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)
