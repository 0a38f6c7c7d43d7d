"""A common search pattern under an order that cannot stop early on a walk (counters, update time,
model score) or on an offset page past the first is read through the pattern's matches, cached
per project (tasks/search_hits.py): every page, in every order and either direction, is the rows
of the plain filter in that order, with an exact total; a change to the project's tasks (data
edited, task deleted, moved or imported) is seen by the next search; and a pattern past HITS_MAX
walks instead. PostgreSQL: the side table and its statistics decide what is common."""

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tasks import datamanager, search, search_hits, search_index
from tasks.models import Task, TaskSearchMark
from tests.factories import make_project, make_task

pytestmark = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL search index")

N = 3_000  # "zebra" in every 10th task: 300 matches, common by the side table's statistics
ORDERS = {  # API ordering -> the plain ORDER BY of the same rows
    "-total_annotations": ["-total_annotations", "-id"],
    "total_predictions": ["total_predictions", "id"],
    "-updated_at": ["-updated_at", "-id"],
    "-predictions_score": [F("prediction_score").desc(nulls_last=True), "-id"],
    "predictions_score": [F("prediction_score").asc(nulls_last=True), "id"],
    "-id": ["-id"],
    "id": ["id"],
}
SORTS = {  # data manager sort -> the API ordering of the same rows
    ("completions", True): "-total_annotations",
    ("predictions", False): "total_predictions",
    ("updated", True): "-updated_at",
    ("score", True): "-predictions_score",
    ("score", False): "predictions_score",
    ("id", True): "-id",
}


def _fill(project) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO tasks_task (project_id, data, meta, is_labeled, total_annotations, cancelled_annotations,"
            " total_predictions, prediction_score, created_at, updated_at)"
            " SELECT %s, jsonb_build_object('text', 'item ' || i || CASE WHEN i %% 10 = 3 THEN ' Zebra' ELSE '' END),"
            " '{}', false, i %% 4, 0, i %% 3, CASE WHEN i %% 5 = 0 OR i %% 7 = 3 THEN (i %% 97) / 100.0 END,"
            " now(), now() - (i * 37 %% 1000) * interval '1 second' FROM generate_series(1, %s) i",
            [project.pk, N],
        )
    assert search_index.index_project(project.pk, wait=True) == N
    with connection.cursor() as cursor:  # what autovacuum does after an import of this size
        cursor.execute(f"ANALYZE tasks_task; ANALYZE {search_index.SIDE_TABLE}")


@pytest.fixture
def common(db, project, manager):
    _fill(project)
    client = Client()
    client.force_login(manager)
    return project, client


def _plain(project, needle: str, order: list) -> list[int]:
    qs = search.annotate_text(Task.objects.filter(project=project)).filter(search.plain_condition(needle))
    return list(qs.order_by(*order).values_list("id", flat=True))


def _api_pages(client, project, needle: str, ordering: str, size: int = 40) -> tuple[list[int], list[dict]]:
    ids, bodies, page = [], [], 1
    while True:
        url = f"/api/tasks?project={project.pk}&text={needle}&ordering={ordering}&page={page}&page_size={size}"
        response = client.get(url)
        if response.status_code == 404:  # past the last page, as Label Studio answers
            return ids, bodies
        body = response.json()
        bodies.append(body)
        ids += [t["id"] for t in body["tasks"]]
        page += 1


def _dm_walk(project, needle: str, sort: str, desc: bool) -> list[int]:
    """Every data manager page forward by its cursors; then one step back from the last page."""
    qs = datamanager.filtered_tasks(Task.objects.filter(project=project), {"text": needle, "sort": sort})
    seen, after, page = [], "", None
    while True:
        page = datamanager.task_page(qs, sort=sort, desc=desc, after=after, size=50)
        seen += [t.pk for t in page.tasks]
        if not page.next_cursor:
            break
        after = page.next_cursor
    back = datamanager.task_page(qs, sort=sort, desc=desc, before=page.prev_cursor, size=50)
    assert [t.pk for t in back.tasks] == seen[-len(page.tasks) - 50 : -len(page.tasks)], (sort, desc)
    return seen


@pytest.mark.django_db
def test_every_order_reads_the_plain_filters_rows_through_the_matches(common):
    project, client = common
    qs = datamanager.filtered_tasks(Task.objects.filter(project=project), {"text": "zebra", "sort": "completions"})
    assert search_hits.hits_count(qs) == N // 10  # (the path under test: not the side-table join, not a walk)
    for ordering, order in ORDERS.items():
        want = _plain(project, "zebra", order)
        got, bodies = _api_pages(client, project, "zebra", ordering)
        assert len(want) == N // 10 and got == want, ordering
        assert all(b["total"] == N // 10 and "total_estimated" not in b for b in bodies), ordering
    for (sort, desc), ordering in SORTS.items():
        assert _dm_walk(project, "zebra", sort, desc) == _plain(project, "zebra", ORDERS[ordering]), (sort, desc)


@pytest.mark.django_db
def test_pages_the_cut_walk_does_not_find_are_read_by_primary_key(common, monkeypatch):
    """With the walk cut after 100 index entries (matches "clustered" beyond it), every page past
    what the walk finds is every match's row by primary key, sorted: still the plain order."""
    project, client = common
    monkeypatch.setattr(search_hits, "WALK_BUDGET", 100)
    monkeypatch.setattr(search_hits, "WALK_PER_MATCH", 0)
    with CaptureQueriesContext(connection) as ctx:
        for ordering, order in ORDERS.items():
            got, _ = _api_pages(client, project, "zebra", ordering)
            assert got == _plain(project, "zebra", order), ordering
        for (sort, desc), ordering in SORTS.items():
            assert _dm_walk(project, "zebra", sort, desc) == _plain(project, "zebra", ORDERS[ordering]), (sort, desc)
    probes = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT m.id FROM unnest(")]
    assert len(probes) > 20  # (most pages of every order but id, which is a slice of the ids)


@pytest.mark.django_db
def test_with_another_filter_the_matches_are_narrowed_and_the_total_still_counted(common):
    project, client = common
    url = f"/api/tasks?project={project.pk}&text=zebra&ordering=-total_annotations&page_size=100"
    body = client.get(url + "&is_labeled=false").json()
    assert [t["id"] for t in body["tasks"]] == _plain(project, "zebra", ORDERS["-total_annotations"])[:100]
    assert body["total"] == N // 10  # (no task is labeled)
    Task.objects.filter(project=project, id__in=[t["id"] for t in body["tasks"][:5]]).update(is_labeled=True)
    body = client.get(url + "&is_labeled=true").json()
    assert len(body["tasks"]) == 5 and body["total"] == 5


@pytest.mark.django_db
def test_a_user_outside_the_project_sees_no_match_nor_their_number(common, annotator):
    project, _ = common
    outsider = Client()
    outsider.force_login(annotator)  # not a member of the project
    response = outsider.get(f"/api/tasks?project={project.pk}&text=zebra&ordering=-total_annotations")
    assert response.status_code in (403, 404) or response.json()["total"] == 0


@pytest.mark.django_db
def test_past_hits_max_a_pattern_walks_the_sort_index(common, monkeypatch):
    project, client = common
    monkeypatch.setattr(search_hits, "HITS_MAX", 100)
    qs = datamanager.filtered_tasks(Task.objects.filter(project=project), {"text": "zebra", "sort": "completions"})
    assert search_hits.hits_count(qs) is None and "_text_rows_factor" in qs.query.annotations  # the walk
    got, _ = _api_pages(client, project, "zebra", "-total_annotations")
    assert got == _plain(project, "zebra", ORDERS["-total_annotations"])


# --- the cache, across requests: each statement commits, as a GET's do ----------------------------
def _version(project) -> int:
    return TaskSearchMark.objects.get(project=project).version


def _search(client, project, needle: str = "zebra") -> tuple[list[int], int]:
    body = client.get(f"/api/tasks?project={project.pk}&text={needle}&ordering=-total_annotations&page_size=1000")
    return [t["id"] for t in body.json()["tasks"]], body.json()["total"]


def _agrees(client, project) -> bool:
    ids, total = _search(client, project)
    return ids == _plain(project, "zebra", ORDERS["-total_annotations"]) and total == len(ids)


@pytest.mark.django_db(transaction=True)
def test_the_next_search_sees_every_change_to_the_projects_tasks(project, manager):
    _fill(project)
    client = Client()
    client.force_login(manager)
    assert _agrees(client, project)
    key_count = len(_search(client, project)[0])
    matching = _plain(project, "zebra", ["id"])

    Task.objects.filter(pk=matching[0]).update(data={"text": "no longer a match"})
    assert _agrees(client, project) and len(_search(client, project)[0]) == key_count - 1
    plain_task = Task.objects.filter(project=project).exclude(pk__in=matching).first()
    Task.objects.filter(pk=plain_task.pk).update(data={"text": "now a zebra too"})
    assert plain_task.pk in _search(client, project)[0] and _agrees(client, project)
    Task.objects.filter(pk=matching[1]).delete()
    assert matching[1] not in _search(client, project)[0] and _agrees(client, project)
    other = make_project(created_by=manager)
    Task.objects.filter(pk=matching[2]).update(project=other)
    assert matching[2] not in _search(client, project)[0] and _agrees(client, project)
    new = make_task(project, {"text": "imported after the index: zebra"})  # above the watermark
    assert TaskSearchMark.objects.get(project=project).indexed_through < new.pk
    assert new.pk in _search(client, project)[0] and _agrees(client, project)


@pytest.mark.django_db(transaction=True)
def test_a_cached_search_is_served_from_its_ids(project, manager):
    _fill(project)
    client = Client()
    client.force_login(manager)
    with CaptureQueriesContext(connection) as ctx:
        _search(client, project)  # reads the matches from the side table and caches them
    assert [q for q in ctx.captured_queries if f"FROM {search_index.SIDE_TABLE} " in q["sql"]]

    with CaptureQueriesContext(connection) as ctx:
        _search(client, project)
    assert not [q for q in ctx.captured_queries if f"FROM {search_index.SIDE_TABLE} " in q["sql"]]
    assert [q for q in ctx.captured_queries if search_hits.HITS_SQL.split(" = ")[0] in q["sql"]]


@pytest.mark.django_db(transaction=True)
def test_the_version_moves_once_per_transaction_and_not_for_counters(project):
    _fill(project)
    v = _version(project)
    Task.objects.filter(project=project, id__in=_plain(project, "item 1", ["id"])[:50]).update(data={"text": "x"})
    assert _version(project) == v + 1
    Task.objects.filter(project=project).update(total_annotations=F("total_annotations") + 1)  # not the data
    assert _version(project) == v + 1
    with transaction.atomic():
        Task.objects.filter(project=project, pk__in=_plain(project, "zebra", ["id"])[:10]).delete()
        Task.objects.filter(project=project, pk__in=_plain(project, "item 2", ["id"])[:10]).update(data={"t": 1})
    assert _version(project) == v + 2
    try:
        with transaction.atomic():
            Task.objects.filter(project=project, pk__in=_plain(project, "item 3", ["id"])[:3]).delete()
            raise RuntimeError
    except RuntimeError:
        pass
    assert _version(project) == v + 2
