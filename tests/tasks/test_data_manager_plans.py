"""Every data manager and /api/tasks request stays on an index at 100,000 tasks (PostgreSQL): no
statement of the request scans tasks_task sequentially, none reads more than a few thousand rows
(a page, its look-ahead row, a priced count), and large projects' counters are not recounted on
every request. The fixture is written by INSERT ... SELECT generate_series (a couple of seconds)
with fresh statistics, as autovacuum leaves them after an import. bench/dm_bench.py times the
same requests; docs/benchmarks.md has their plans at 1M."""

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tasks import search_index

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL query plans"),
]

N = 100_000
TAIL = 500  # tasks above the search index's watermark
# rows produced or filtered out by the nodes of any one statement: a page of a filter matching ~1% of
# the tasks walks ~100 rows per match in the sort's index (and then stops), whatever the project's size
MAX_ROWS = 15_000
OTHER = 30_000  # tasks of a project imported after the big one


@pytest.fixture
def big(project, manager, annotator):
    from projects.models import Membership
    from projects.services import membership_set

    membership_set(project=project, user=annotator, role=Membership.Role.ANNOTATOR)
    p, a = project.pk, annotator.pk
    with connection.cursor() as cursor:
        # foreign keys checked as rows go in, with statistics that know the 100k tasks: deferred to
        # the end of the test, the checks could run on plans cached while the tables were small
        # (a sequential scan of tasks_task per completion: minutes)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("RESET enable_seqscan; RESET enable_indexscan; RESET enable_bitmapscan")
        insert = (
            "INSERT INTO tasks_task (project_id, data, meta, is_labeled, total_annotations, cancelled_annotations,"
            " total_predictions, created_at, updated_at)"
            " SELECT %s, jsonb_build_object('text', 'task ' || i || CASE WHEN i %% 100 = 7 THEN ' zebra' || i"
            " ELSE '' END), '{}', i %% 50 = 0, (i %% 50 = 0)::int, 0, (i %% 20 = 0)::int,"
            " now() - i * interval '1 second', now() - i * interval '1 second' FROM generate_series(%s, %s) i"
        )
        # all but the last TAIL tasks in the search index (its job ran after an import), the rest
        # imported since: searched through the index plus a plain read of the tasks above its mark
        cursor.execute(insert, [p, 1, N - TAIL])
        cursor.execute("ANALYZE tasks_task")
        assert search_index.index_project(p, wait=True) == N - TAIL
        cursor.execute(insert, [p, N - TAIL + 1, N])
        cursor.execute("ANALYZE tasks_task; ANALYZE tasks_tasksearch")
        cursor.execute(
            "INSERT INTO annotators_completion (task_id, project_id, completed_by_id, result, was_cancelled,"
            " ground_truth, lead_time, version, review_status, review_comment, created_at, updated_at)"
            " SELECT id, %s, %s, '[]', false, (id / 50) %% 10 = 0, 1, 1,"
            " CASE WHEN (id / 50) %% 3 = 0 THEN 'accepted' ELSE '' END, '', now(), now()"
            " FROM tasks_task WHERE project_id = %s AND is_labeled",
            [p, a, p],
        )
        cursor.execute(
            "INSERT INTO ml_backends_prediction (task_id, project_id, model_version, score, result, created_at,"
            " updated_at) SELECT id, %s, 'v1', (id %% 100) / 100.0, '[]', now(), now()"
            " FROM tasks_task WHERE project_id = %s AND total_predictions = 1",
            [p, p],
        )
        cursor.execute(_migration("0008_task_prediction_score").BACKFILL)  # the migration's backfill
        cursor.execute("ANALYZE tasks_task; ANALYZE annotators_completion; ANALYZE ml_backends_prediction")
    client = Client()
    client.force_login(manager)
    return project, client, a


def _migration(name: str):
    import importlib

    return importlib.import_module(f"tasks.migrations.{name}")


def _plans(client, path: str) -> list[tuple[str, dict]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    out = []
    with connection.cursor() as cursor:
        budgeted = False
        for q in ctx.captured_queries:
            sql = q["sql"] or ""
            if sql.startswith("SET LOCAL statement_timeout"):
                budgeted = True  # selectors._count_within: a count cut off after a few ms
                continue
            if budgeted and sql.startswith("SELECT COUNT(*)"):
                budgeted = False
                continue
            if "tasks_task" not in sql or not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            out.append((sql, (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]))
    return out


def _nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def _rows(node) -> int:
    """Rows the statement's nodes produced or threw away. A bitmap index scan's count is left out:
    it counts index entries, and a GIN index keeps those of rolled-back rows (every earlier run of
    this fixture, with --reuse-db) until VACUUM; the heap scan above it counts the rows read,
    rechecks included."""
    return sum(
        n.get("Actual Rows", 0) * n.get("Actual Loops", 1)
        + n.get("Rows Removed by Filter", 0)
        + n.get("Rows Removed by Index Recheck", 0)
        for n in _nodes(node)
        if n["Node Type"] != "Bitmap Index Scan"
    )


def requests_for(p: int, annotator: int) -> list[str]:
    dm, api = f"/projects/{p}/data/", f"/api/tasks?project={p}"
    filters = [
        "text=zebra", "text=zebra417", "is_labeled=1", "is_labeled=0", f"annotator={annotator}",
        "has_ground_truth=1", "has_ground_truth=0", "review_status=accepted", "model_version=v1",
        "prediction_score_min=0.9", "prediction_score_max=0.1",
    ]  # fmt: skip
    sorts = [f"sort={s}&desc={d}" for s in ("id", "completions", "predictions", "updated", "created", "score")
             for d in ("", 1)]  # fmt: skip
    orderings = [
        f"ordering={o}"
        for o in ("-total_annotations", "created_at", "-updated_at", "-total_predictions", "predictions_score")
    ] + ["ordering=-predictions_score"]
    return [
        dm,
        *(f"{dm}?{f}" for f in filters + sorts),
        api,
        f"{api}&page=1000&page_size=50",
        f"{api}&after={N // 2}",
        *(f"{api}&{f}" for f in ["text=zebra", "is_labeled=true"] + orderings),
        # a common pattern (11%) under every order and deep in an offset walk: a walk of the id or
        # created index, else its matches, then an index-only walk of the sort's index filtered by
        # them (tasks/search_hits.py); and a rarer one (1%: the side table's matches) under each
        *(f"{dm}?text={t}&{s}" for s in sorts for t in ("task%201", "zebra")),
        *(f"{api}&text={t}&{o}" for o in orderings for t in ("task%201", "zebra")),
        f"{api}&text=task%201&page=90&page_size=100",
        f"{api}&text=task%201&page=30&page_size=100&ordering=-updated_at",
    ]


def test_every_data_manager_request_stays_on_an_index(big):
    project, client, annotator = big
    failures = []
    for path in requests_for(project.pk, annotator):
        for sql, plan in _plans(client, path):
            seq = [
                n
                for n in _nodes(plan)
                if n["Node Type"] == "Seq Scan" and n.get("Relation Name") in ("tasks_task", search_index.SIDE_TABLE)
            ]
            rows = _rows(plan)
            if "OFFSET" in sql:  # the offset walk of a deferred join: ids only, in an index (index-only
                # once VACUUM has set the visibility map, which a test's transaction cannot)
                scans = [n for n in _nodes(plan) if n.get("Relation Name") == "tasks_task"]
                ok = all(n["Node Type"] in ("Index Only Scan", "Index Scan") for n in scans)
                rows = 0 if ok and scans and sql.startswith('SELECT "tasks_task"."id" AS "id" FROM') else rows
            rows = _matches_read(sql, plan, rows)
            if seq or rows > MAX_ROWS:
                failures.append(f"{path}: {rows} rows, seq scan: {bool(seq)}: {_where(sql)}\n{_outline(plan)}")
    assert not failures, "\n".join(failures)


def test_totals_are_estimates_past_the_cheap_ones(big):
    project, client, _ = big
    api = f"/api/tasks?project={project.pk}"
    body = client.get(api).json()
    assert body["total_estimated"] is True and abs(body["total"] - N) < N * 0.1
    from tests.factories import make_project, make_task

    small = make_project(created_by=project.created_by)
    for i in range(3):
        make_task(small, {"text": f"zebra small {i}"})
    exact = client.get(f"/api/tasks?project={small.pk}").json()
    assert exact["total"] == 3 and "total_estimated" not in exact  # cheap: exact
    exact = client.get(f"/api/tasks?project={small.pk}&text=zebra").json()
    assert exact["total"] == 3 and "total_estimated" not in exact
    page = client.get(f"/projects/{project.pk}/data/").content.decode()
    assert 'id="task-total"' in page and "~100k" in page


def test_offset_pages_are_the_rows_of_before(big):
    from tasks.models import Task

    project, client, _ = big
    api = f"/api/tasks?project={project.pk}"
    for query, order in (("", ["id"]), ("&ordering=-updated_at", ["-updated_at", "-id"])):
        got = [t["id"] for t in client.get(f"{api}&page=777&page_size=50{query}").json()["tasks"]]
        want = list(Task.objects.filter(project=project).order_by(*order).values_list("id", flat=True)[38800:38850])
        assert got == want


def test_large_projects_counters_are_not_recounted_per_request(big):
    project, client, _ = big
    client.get(f"/api/projects/{project.pk}/")
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(f"/api/projects/{project.pk}/").json()
    assert body["task_number"] == N
    assert not [q for q in ctx.captured_queries if "COUNT(" in q["sql"] and "tasks_task" in q["sql"]]


def test_a_rare_text_search_is_found_through_the_trigram_index_and_sees_the_tail(big):
    project, client, _ = big
    p = project.pk
    for path in (f"/projects/{p}/data/?text=zebra417", f"/api/tasks?project={p}&text=zebra417"):
        plans = [json.dumps(plan) for sql, plan in _plans(client, path) if search_index.SIDE_TABLE in sql]
        assert plans and any(search_index.TRGM_INDEX in plan for plan in plans), path
    # zebra41707 is in the index; zebra99907 is above the watermark: found by the plain read of the tail
    for needle in ("zebra417", "zebra99907", "zebra9990"):
        want = {f"task {i} zebra{i}" for i in range(7, N + 1, 100) if needle in f"zebra{i}"}
        body = client.get(f"/api/tasks?project={p}&text={needle}").json()
        assert want and {t["data"]["text"] for t in body["tasks"]} == want, needle


def test_sort_by_score_is_an_index_scan_with_unscored_tasks_last(big):
    """sort=score's first page in either direction: a range scan of task_project_score_idx that
    stops at the page (51 rows, counted at each of its few nodes); the 5,000 scored tasks first, then the unscored ones (by id); an API page
    across that boundary is the rows of the plain ORDER BY ... NULLS LAST."""
    from django.db.models import F

    from tasks.models import Task

    project, client, _ = big
    p = project.pk
    for desc in ("", "1"):
        plans = _plans(client, f"/projects/{p}/data/?sort=score&desc={desc}")
        page = [plan for sql, plan in plans if "ORDER BY" in sql and '"prediction_score"' in sql.split("ORDER BY")[1]]
        assert page, [sql[:200] for sql, _ in plans]
        scans = [n for n in _nodes(page[0]) if n.get("Relation Name") == "tasks_task"]
        assert [n["Node Type"] for n in scans] == ["Index Scan"] and scans[0]["Index Name"] == "task_project_score_idx"
        assert _rows(page[0]) <= 5 * 51 and not [n for n in _nodes(page[0]) if n["Node Type"] == "Sort"]
    scored = Task.objects.filter(project=project, prediction_score__isnull=False)
    assert scored.count() == N // 20
    api = f"/api/tasks?project={p}&page_size=50"
    for ordering, order in (
        ("predictions_score", [F("prediction_score").asc(nulls_last=True), "id"]),
        ("-predictions_score", [F("prediction_score").desc(nulls_last=True), "-id"]),
    ):
        for page in (1, 100, 101, 102):  # 5,000 scored tasks: page 100 is their last, 101 the first unscored
            got = [t["id"] for t in client.get(f"{api}&ordering={ordering}&page={page}").json()["tasks"]]
            want = list(Task.objects.filter(project=project).order_by(*order).values_list("id", flat=True))
            assert got == want[(page - 1) * 50 : page * 50], (ordering, page)


def test_past_hits_max_a_common_text_search_walks_the_sort_index_and_labels_its_total(big, monkeypatch):
    """ "task 1" is in 11% of the tasks (task 1, 10-19, 100-199, ...); with HITS_MAX below its 11,111
    matches, a page is found by walking the sort's index with the plain LIKE (~10 rows a match,
    then it stops) rather than by reading its matches; its total is the side table's estimate,
    labeled as one."""
    from tasks import search, search_hits
    from tasks.models import Task

    monkeypatch.setattr(search_hits, "HITS_MAX", 5_000)
    project, client, _ = big
    p, needle, want = project.pk, "task 1", 11_111
    for path in (f"/projects/{p}/data/?text={needle}", f"/api/tasks?project={p}&text={needle}"):
        plans = _plans(client, path)
        assert plans and max(_rows(plan) for sql, plan in plans if "LIMIT 5001" not in sql) < 2_000, path
    body = client.get(f"/api/tasks?project={p}&text={needle}&page_size=100").json()
    plain = search.annotate_text(Task.objects.filter(project=project)).filter(search.plain_condition(needle))
    assert [t["id"] for t in body["tasks"]] == list(plain.order_by("id").values_list("id", flat=True)[:100])
    assert body["total_estimated"] is True and want // 2 < body["total"] < want * 2, body["total"]


def test_a_later_projects_tasks_do_not_turn_the_plans_into_scans(big):
    """Another project imported after this one (30k tasks: fewer would not mislead the planner): its ids are all above this project's (and
    its search watermark), which the planner cannot know from per-column statistics. No request of
    either project may scan the table or step over the other project's rows."""
    from projects.models import Project
    from tests.factories import make_project

    project, client, annotator = big
    other = make_project(created_by=project.created_by)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO tasks_task (project_id, data, meta, is_labeled, total_annotations, cancelled_annotations,"
            " total_predictions, created_at, updated_at) SELECT %s, jsonb_build_object('text', 'other ' || i), '{}',"
            " false, 0, 0, 0, now(), now() FROM generate_series(1, %s) i",
            [other.pk, OTHER],
        )
        cursor.execute("ANALYZE tasks_task")
    assert Project.objects.filter(pk__in=[project.pk, other.pk]).count() == 2
    failures = []
    paths = [
        *requests_for(project.pk, annotator),
        *(r for r in requests_for(other.pk, annotator) if _unfiltered(r)),  # (it is not search-indexed)
    ]
    for path in paths:
        for sql, plan in _plans(client, path):
            seq = [n for n in _nodes(plan) if n["Node Type"] == "Seq Scan" and n.get("Relation Name") == "tasks_task"]
            if "OFFSET" not in sql and (seq or _matches_read(sql, plan, _rows(plan)) > MAX_ROWS):
                failures.append(f"{path}: {_rows(plan)} rows, seq scan: {bool(seq)}: {_where(sql)}\n{_outline(plan)}")
    assert not failures, "\n".join(failures)


def _matches_read(sql: str, plan: dict, rows: int) -> int:
    """``rows``, or 0 for the statements of a search through a common pattern's matches
    (tasks/search_hits.py) that stay within their design bounds, not the project's size: the read
    of the matches (up to HITS_MAX, once per pattern and change of the project, then cached; a
    test's transaction never caches) from the trigram index; the page's walk of its sort index,
    cut at WALK_PER_MATCH entries a match (at least WALK_BUDGET); when that finds less than a page,
    the matches' rows by primary key."""
    from tasks import search_hits

    scans = [n for n in _nodes(plan) if n.get("Relation Name") in ("tasks_task", search_index.SIDE_TABLE)]
    read = max((n.get("Actual Rows", 0) * n.get("Actual Loops", 1) for n in scans), default=0)
    if sql.startswith("SELECT count(*), '{' || coalesce(string_agg(task_id") and search_index.SIDE_TABLE in sql:
        ok = any(n.get("Index Name") == search_index.TRGM_INDEX for n in _nodes(plan))
        return 0 if ok and read <= search_hits.HITS_MAX + 1 else rows
    if sql.startswith(("SELECT m.id FROM (SELECT w.id", "SELECT count(*) FROM (SELECT")):
        cut = int(re.search(r"LIMIT (\d+)\) w", sql).group(1))  # the walk's own bound
        budget = max(search_hits.WALK_BUDGET, search_hits.WALK_PER_MATCH * search_hits.HITS_MAX)
        index = all(n["Node Type"] == "Index Only Scan" for n in scans)
        return 0 if scans and index and read <= cut <= budget + 10_000 else rows
    if sql.startswith("SELECT m.id FROM unnest("):
        index = all(n["Node Type"] in ("Index Scan", "Index Only Scan") for n in scans)
        return 0 if scans and index and read <= search_hits.HITS_MAX else rows
    return rows


def _where(sql: str) -> str:
    """The statement from its FROM on (its column list is the same in every one)."""
    return sql[sql.find(" FROM ") :][:600]


def _outline(node, depth: int = 1) -> str:
    """A plan as EXPLAIN's text shows it, in short: what a failure needs to say why it read so much."""
    keys = ("Relation Name", "Index Name", "Index Cond", "Filter", "Join Filter", "Hash Cond", "Sort Key")
    parts = [f"{k}={node[k]}" for k in keys if node.get(k)]
    rows = f"rows={node.get('Actual Rows')}x{node.get('Actual Loops')} removed={node.get('Rows Removed by Filter', 0)}"
    line = f"{'  ' * depth}{node['Node Type']} {rows} {' '.join(parts)}"
    return "\n".join([line, *(_outline(child, depth + 1) for child in node.get("Plans", []))])


def _unfiltered(path: str) -> bool:
    """A page in some order, without filters (and within 30k tasks)."""
    query = path.partition("?")[2]
    return all(p.split("=")[0] in ("project", "sort", "desc", "ordering") for p in query.split("&") if p)


def test_a_common_text_search_under_a_counter_sort_walks_that_index_by_its_matches(big):
    """ "task 1" is in 11% of the tasks: under sort=completions a walk of that index filtered by the
    text would read a heap row per step. Through the pattern's matches (tasks/search_hits.py) the
    page's ids are an index-only walk of it filtered by a hashed ``id = ANY(matches)`` (no heap row
    read to decide), without a sort, stopped at the page; then the page's rows by primary key; and
    the total is exact."""
    from tasks import search
    from tasks.models import Task

    project, client, _ = big
    p, needle = project.pk, "task 1"
    plans = _plans(client, f"/projects/{p}/data/?text={needle}&sort=completions&desc=1")
    pages = [
        plan for sql, plan in plans if sql.startswith("SELECT m.id FROM (SELECT w.id") and '"total_annotations"' in sql
    ]
    assert pages, [_where(sql) for sql, _ in plans]
    scans = [n for n in _nodes(pages[0]) if n.get("Relation Name") == "tasks_task"]
    assert [(n["Node Type"], n["Index Name"]) for n in scans] == [("Index Only Scan", "task_project_annotations_idx")]
    matched = [n for n in _nodes(pages[0]) if "hit" in n.get("Filter", "") and n["Node Type"] == "Subquery Scan"]
    assert matched and not [n for n in _nodes(pages[0]) if n["Node Type"] == "Sort"], _outline(pages[0])
    assert scans[0]["Actual Rows"] < 2_000, _outline(pages[0])  # it stops at the page
    plain = search.annotate_text(Task.objects.filter(project=project)).filter(search.plain_condition(needle))
    body = client.get(f"/api/tasks?project={p}&text={needle}&ordering=-total_annotations&page_size=100").json()
    assert body["total"] == plain.count() > 11_000 and "total_estimated" not in body
    want = plain.order_by("-total_annotations", "-id").values_list("id", flat=True)[:100]
    assert [t["id"] for t in body["tasks"]] == list(want)
