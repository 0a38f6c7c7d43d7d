"""The Django admin: browsable, searchable, filters, ground-truth and review actions, and a bounded
number of queries per changelist page whatever the row count."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from annotators.models import Completion
from annotators.services import completion_create
from labelstudio.core.admin import EstimatedCountPaginator, estimated_count
from tasks.models import Task
from tests.annotators.conftest import choice
from tests.factories import make_task

pytestmark = pytest.mark.django_db

PAGES = [
    "annotators/completion",
    "annotators/tasklock",
    "annotators/draft",
    "annotators/taskassignment",
    "annotators/qualitysettings",
    "tasks/task",
    "projects/project",
    "projects/membership",
    "core/job",
    "ml_backends/prediction",
]


@pytest.fixture
def admin_client(db):
    user = get_user_model().objects.create_superuser("root", "root@example.com", "pass12345")
    client = Client()
    client.force_login(user)
    return client


def fill(project, annotators, n):
    for _ in range(n):
        task = make_task(project)
        completion_create(task=task, user=annotators[0], result=choice("Positive"))


@pytest.mark.parametrize("page", PAGES)
def test_changelists_load_with_filters_and_search(admin_client, project, annotators, page):
    fill(project, annotators, 3)
    assert admin_client.get(f"/admin/{page}/").status_code == 200
    assert admin_client.get(f"/admin/{page}/?q=1").status_code == 200


def test_query_count_does_not_grow_with_rows(admin_client, project, annotators, django_assert_max_num_queries):
    fill(project, annotators, 2)
    counts = {}
    for page in ("annotators/completion", "tasks/task"):
        with django_assert_max_num_queries(25) as captured:
            admin_client.get(f"/admin/{page}/")
        counts[page] = len(captured)
    fill(project, annotators, 30)
    for page, before in counts.items():
        with django_assert_max_num_queries(before):
            admin_client.get(f"/admin/{page}/")


def test_completion_filters(admin_client, project, annotators):
    fill(project, annotators, 2)
    Completion.objects.filter(pk=Completion.objects.first().pk).update(ground_truth=True)
    for query in (
        "ground_truth__exact=1",
        "review=pending",
        "was_cancelled__exact=0",
        f"project__id__exact={project.pk}",
    ):
        assert admin_client.get(f"/admin/annotators/completion/?{query}").status_code == 200


def test_ground_truth_actions(admin_client, project, annotators):
    task = make_task(project, overlap=2)
    a = completion_create(task=task, user=annotators[0], result=choice("Positive"))
    b = completion_create(task=task, user=annotators[1], result=choice("Negative"))
    url = "/admin/annotators/completion/"
    both = admin_client.post(url, {"action": "mark_ground_truth", "_selected_action": [a.pk, b.pk]}, follow=True)
    assert "pick one completion per task" in both.content.decode().lower()
    assert not Completion.objects.filter(ground_truth=True).exists()
    admin_client.post(url, {"action": "mark_ground_truth", "_selected_action": [a.pk]})
    admin_client.post(url, {"action": "mark_ground_truth", "_selected_action": [b.pk]})
    assert list(Completion.objects.filter(ground_truth=True).values_list("pk", flat=True)) == [b.pk]
    admin_client.post(url, {"action": "unmark_ground_truth", "_selected_action": [b.pk]})
    assert not Completion.objects.filter(ground_truth=True).exists()


def test_review_actions(admin_client, project, annotators):
    fill(project, annotators, 2)
    first, second = Completion.objects.order_by("id")
    url = "/admin/annotators/completion/"
    admin_client.post(url, {"action": "accept", "_selected_action": [first.pk]})
    first.refresh_from_db()
    assert first.review_status == "accepted"
    form = admin_client.post(url, {"action": "reject", "_selected_action": [second.pk]})
    assert form.status_code == 200 and b"Comment" in form.content  # asks for the comment first
    admin_client.post(
        url, {"action": "reject", "_selected_action": [second.pk], "confirm": "1", "comment": "fix the label"}
    )
    second.refresh_from_db()
    assert (second.review_status, second.review_comment) == ("rejected", "fix the label")


def test_project_admin_refuses_a_broken_config(admin_client, project):
    response = admin_client.post(
        f"/admin/projects/project/{project.pk}/change/",
        {
            "title": project.title,
            "label_config": "<View><Choices name='x' toName='nope'/></View>",
            "maximum_annotations": 1,
            "sampling": project.sampling,
            "skip_queue": project.skip_queue,
            "task_lock_ttl": 600,
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200 and b"errornote" in response.content


def test_big_tables_are_not_counted(admin_client, project, monkeypatch, django_assert_max_num_queries):
    """Above the threshold the changelist shows PostgreSQL's estimate and never runs COUNT(*)."""
    if connection.vendor != "postgresql":
        pytest.skip("estimates come from PostgreSQL's planner")
    from labelstudio.core import admin as core_admin

    monkeypatch.setattr(core_admin, "EXACT_COUNT_BELOW", 0)
    make_task(project)
    with django_assert_max_num_queries(20) as captured:
        assert admin_client.get("/admin/tasks/task/").status_code == 200
    assert not any("COUNT(" in q["sql"] and "tasks_task" in q["sql"] for q in captured.captured_queries)


def test_paginator_estimates_only_big_results(project):
    for _ in range(3):
        make_task(project)
    qs = Task.objects.filter(project=project).order_by("id")
    assert EstimatedCountPaginator(qs, 50).count == 3  # small: exact
    if connection.vendor == "postgresql":
        assert isinstance(estimated_count(qs), int)
    else:
        assert estimated_count(qs) is None
