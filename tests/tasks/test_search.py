"""The text filter's index (a side table with a pg_trgm GIN index on PostgreSQL, FTS5 trigram on
SQLite, filled by a job up to a per-project watermark) returns exactly the tasks of the plain
filter it replaces, on data with unicode, punctuation and values of several types, stored both as
the API writes it and as the import writer does (compact JSON, unescaped unicode, which SQLite
keeps verbatim) — and so do tasks above the watermark (imported, not indexed yet), tasks changed
after they were indexed, and deleted ones."""

import json

import pytest
from django.db import connection, transaction

from tasks import search, search_index
from tasks.filters import TaskFilter
from tasks.models import Task, TaskSearchMark
from tests.factories import make_task

pytestmark = pytest.mark.django_db

DATA = [
    {"text": "Un café crème, s'il vous plaît"},
    {"text": "CAFÉ NOIR"},
    {"text": "naïve résumé — 東京タワー 🙂"},
    {"text": 'He said "hi" and left', "n": 42},
    {"text": "50% off_sale\\today", "ok": True},
    {"text": "x-ray; o'clock", "score": 3.14, "none": None},
    {"text": "nested", "meta": {"tags": ["alpha", "Beta"], "depth": {"k": "deep value"}}},
    {"image": "https://example.com/a.jpg", "n": 7},
    {"text": "plain ascii text"},
]
NEEDLES = [
    "café", "CAFÉ", "caf", "crème", "naïve", "東京", "タワー", "🙂", 'said "hi"', '"hi"', "50%", "off_sale",
    "sale\\to", "o'clock", "x-ray", "42", "3.14", "true", "null", "beta", "deep value", "example.com",
    "text", "zz", "é", "nothing-matches-this",
]  # fmt: skip


@pytest.fixture
def tasks(project):
    made = [make_task(project, d) for d in DATA]
    # the same data again as the import writer stores it (tasks/importers/rows.py: compact, unescaped)
    compact = [make_task(project, {"x": 0}) for _ in DATA]
    with connection.cursor() as cursor:
        for task, data in zip(compact, DATA, strict=True):
            text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            cursor.execute("UPDATE tasks_task SET data = %s WHERE id = %s", [text, task.pk])
    # on PostgreSQL the trigger already copied the nine changed ones (an upsert, even above the mark)
    expect = len(made) if connection.vendor == "postgresql" else len(made + compact)
    assert search_index.index_project(project.pk, wait=True) == expect
    assert _mark(project) == compact[-1].pk
    return project, made + compact


def _mark(project) -> int:
    return TaskSearchMark.objects.get(project=project).indexed_through


def _found_by_index(project, needle: str) -> set[int]:
    """What the index part of the search finds (its raw candidates up to the watermark): exactly
    the plain filter's tasks on PostgreSQL (the same expression over a copy of the text), a
    superset on SQLite (FTS5's trigram case folding is wider than LIKE's)."""
    mark = _mark(project)
    sql, params = search.candidates(needle, project.pk, mark)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = {r[0] for r in cursor.fetchall()}
    return {i for i in ids if i <= mark}  # (FTS5 holds every project's tasks: only this test's exist)


def _index_agrees(project, needle: str) -> bool:
    plain = {i for i in _plain(project, needle) if i <= _mark(project)}
    found = _found_by_index(project, needle)
    return found == plain if connection.vendor == "postgresql" else found >= plain


def _ids(qs) -> set[int]:
    return set(qs.values_list("id", flat=True))


def _plain(project, needle: str) -> set[int]:
    qs = search.annotate_text(Task.objects.filter(project=project)).filter(search.plain_condition(needle))
    if connection.vendor != "postgresql":
        return _ids(qs)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off; SET LOCAL enable_indexscan = off")
        try:
            return _ids(qs)
        finally:  # SET LOCAL outlives the savepoint: it would reach the rest of the test's transaction
            cursor.execute("RESET enable_bitmapscan; RESET enable_indexscan")


def _indexed(project, needle: str) -> set[int]:
    qs = TaskFilter({"text": needle, "project": project.pk}, queryset=Task.objects.all()).qs
    if connection.vendor != "postgresql":
        return _ids(qs)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        try:
            return _ids(qs)
        finally:
            cursor.execute("RESET enable_seqscan; RESET enable_indexscan")


@pytest.mark.parametrize("needle", NEEDLES)
def test_index_returns_the_plain_filters_tasks(tasks, needle):
    project, _ = tasks
    assert _indexed(project, needle) == _plain(project, needle)
    if len(needle) >= 3:
        assert _index_agrees(project, needle)


def test_matches_are_the_documented_ones(tasks):
    project, made = tasks
    api, imported = made[: len(DATA)], made[len(DATA) :]

    def both(*indexes):
        return {api[i].pk for i in indexes} | {imported[i].pk for i in indexes}

    assert _indexed(project, "café") == both(0, 1) or connection.vendor == "sqlite"  # É/é: Unicode case
    assert _indexed(project, "café") >= both(0)  # typed unescaped, stored escaped or not
    assert _indexed(project, "CAF") == both(0, 1)  # ASCII case folds everywhere
    assert _indexed(project, 'said "hi"') == both(3)  # quotes are escaped in JSON text
    assert _indexed(project, "sale\\to") == both(4)
    assert _indexed(project, "東京タワー") == both(2)
    assert _indexed(project, "deep value") == both(6)  # nested values
    assert _indexed(project, "3.14") == both(5)  # numbers (on SQLite "42" also finds "\\ude42", an escaped emoji)
    assert _indexed(project, "zz") == set()  # shorter than a trigram: the plain scan


def test_search_index_exists_and_serves_the_filter(tasks):
    project, _ = tasks
    qs = TaskFilter({"text": "crème", "project": project.pk}, queryset=Task.objects.all()).qs
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            plan = qs.explain()
            cursor.execute("RESET enable_seqscan")
        assert search_index.TRGM_INDEX in plan
    else:
        assert search_index.FTS_TABLE in str(qs.query)


def test_tasks_above_the_watermark_are_found_plainly_until_the_job_indexes_them(tasks):
    project, made = tasks
    mark = _mark(project)
    fresh = [make_task(project, {"text": f"fresh zebra ünïcode {i}"}) for i in range(3)]
    assert _indexed(project, "zebra ünï") == {t.pk for t in fresh}  # the tail: read plainly
    assert _found_by_index(project, "zebra ünï") == set() and _mark(project) == mark
    assert search_index.index_project(project.pk, wait=True) == 3
    assert _mark(project) == fresh[-1].pk
    assert _found_by_index(project, "zebra ünï") == {t.pk for t in fresh}
    assert _indexed(project, "zebra ünï") == {t.pk for t in fresh}
    assert search_index.index_project(project.pk, wait=True) == 0  # nothing new


def test_changed_tasks_are_found_by_their_new_data_only(tasks):
    project, made = tasks
    first, second = made[0], made[1]
    Task.objects.filter(pk=first.pk).update(data={"text": "brand new words"})  # bulk update
    second.data = {"text": "Saved Anew, ça va"}
    second.save()  # the model's save
    with connection.cursor() as cursor:  # raw SQL, as a data migration might
        cursor.execute("UPDATE tasks_task SET data = %s WHERE id = %s", ['{"text": "raw rewrite"}', made[2].pk])
    for needle, want in (("brand new", {first.pk}), ("saved anew", {second.pk}), ("raw rewrite", {made[2].pk})):
        assert _indexed(project, needle) == want == _plain(project, needle)
        assert _index_agrees(project, needle) and _found_by_index(project, needle) == want
    assert first.pk not in _indexed(project, "café") and first.pk not in _found_by_index(project, "café")
    assert _index_agrees(project, "naïve") and _index_agrees(project, "CAF")


def test_a_task_changed_before_the_job_reaches_it_is_indexed_with_its_new_data(tasks):
    project, _ = tasks
    task = make_task(project, {"text": "old words"})
    Task.objects.filter(pk=task.pk).update(data={"text": "later words"})
    search_index.index_project(project.pk, wait=True)
    assert _found_by_index(project, "later words") == {task.pk}
    assert _found_by_index(project, "old words") == set() and _indexed(project, "old words") == set()


def test_deleted_tasks_leave_the_index(tasks):
    project, made = tasks
    gone = sorted(_plain(project, "café"))
    assert len(gone) >= 2
    Task.objects.filter(pk__in=gone).delete()
    assert _indexed(project, "café") == _plain(project, "café") == set()
    assert _found_by_index(project, "café").isdisjoint(gone)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {search_index.SIDE_TABLE} WHERE task_id = ANY(%s)", [gone])  # noqa: S608
            assert cursor.fetchone()[0] == 0
    else:  # the project's other tasks are still found through FTS5 after its delete commands
        assert _index_agrees(project, "naïve") and _indexed(project, "naïve") == _plain(project, "naïve") != set()


def test_an_import_queues_the_job_and_its_tasks_are_searchable_before_and_after(
    project, api, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.LABELSTUDIO_DATA_DIR = str(tmp_path)
    rows = [{"text": f"imported row {i} {'zebra' if i % 3 == 0 else ''}"} for i in range(30)]
    # without its on-commit callbacks: imported, not indexed (as while the job waits in the queue)
    assert api.post(f"/api/projects/{project.pk}/import", rows[:15], format="json").status_code == 201
    assert not TaskSearchMark.objects.filter(project=project).exists()
    assert len(_indexed(project, "zebra")) == 5
    with django_capture_on_commit_callbacks(execute=True):  # the job runs (eager) once it commits
        assert api.post(f"/api/projects/{project.pk}/import", rows[15:], format="json").status_code == 201
    top = Task.objects.filter(project=project).order_by("-id").first().pk
    assert _mark(project) == top
    assert _indexed(project, "zebra") == _plain(project, "zebra") == _found_by_index(project, "zebra")
    assert len(_indexed(project, "zebra")) == 10


def test_the_index_can_be_dropped_and_rebuilt_and_search_still_answers(tasks):
    from django.core.management import call_command

    project, made = tasks
    want = _plain(project, "crème")
    if connection.vendor == "postgresql":  # the test's transaction: no DDL with deferred FK checks pending
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("task_search_index", "--drop")
    assert not search_index.schema_present() and not TaskSearchMark.objects.exists()
    assert _indexed(project, "crème") == want
    call_command("task_search_index")
    assert search_index.schema_present()
    assert _mark(project) == made[-1].pk  # rebuilt over the existing tasks
    assert _indexed(project, "crème") == want and _index_agrees(project, "crème")


def test_the_project_is_found_in_the_querysets_the_callers_pass(project):
    from tasks.selectors import task_list_for

    assert search.single_project(Task.objects.filter(project=project)) == project.pk
    assert search.single_project(Task.objects.filter(project_id=project.pk, is_labeled=False)) == project.pk
    assert search.single_project(task_list_for(project.created_by, project.pk)) == project.pk
    assert search.single_project(Task.objects.filter(is_labeled=False)) is None  # across projects: plain scan
