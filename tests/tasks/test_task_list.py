"""The task list (Label Studio's /api/tasks/ shape) costs the same number of queries for any page size."""

import pytest

from tests.factories import make_task

pytestmark = pytest.mark.django_db


def _list(api, project, page_size, django_assert_max_num_queries):
    # 6, or 10 when the total is a budgeted count (savepoint, timeout set and restored: stale
    # statistics make the planner expect few rows at a high cost; tasks.selectors.task_total)
    with django_assert_max_num_queries(10):
        body = api.get("/api/tasks/", {"project": project.pk, "page_size": page_size}).json()
    return body


def test_task_list_queries_do_not_grow_with_the_page(api, project, django_assert_max_num_queries):
    for i in range(40):
        make_task(project, {"text": f"t{i}"})
    small = _list(api, project, 2, django_assert_max_num_queries)
    large = _list(api, project, 40, django_assert_max_num_queries)
    assert small["total"] == large["total"] == 40
    assert [t["data"]["text"] for t in large["tasks"]] == [f"t{i}" for i in range(40)]
