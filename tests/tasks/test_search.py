"""The text filter's index (pg_trgm GIN on PostgreSQL, FTS5 trigram on SQLite) returns exactly the
tasks of the plain filter it replaces, on data with unicode, punctuation and values of several
types, stored both as the API writes it and as the import writer does (compact JSON, unescaped
unicode, which SQLite keeps verbatim)."""

import json

import pytest
from django.db import connection, transaction

from tasks import search
from tasks.filters import TaskFilter
from tasks.models import Task
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
    return project, made + compact


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
    if connection.vendor != "postgresql":
        return _ids(TaskFilter({"text": needle}, queryset=Task.objects.filter(project=project)).qs)
    # only this test's tasks exist: no project condition, so the trigram index is the planner's only way
    qs = TaskFilter({"text": needle}, queryset=Task.objects.all()).qs
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
    if connection.vendor == "postgresql":
        qs = TaskFilter({"text": "crème"}, queryset=Task.objects.all()).qs
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
            plan = qs.explain()
            cursor.execute("RESET enable_seqscan; RESET enable_indexscan")
        assert search.TRGM_INDEX in plan
    else:
        qs = TaskFilter({"text": "crème"}, queryset=Task.objects.filter(project=project)).qs
        assert search.fts_available()
        assert search.FTS_TABLE in str(qs.query)
        # kept by triggers: a changed and a deleted task leave the index
        task = Task.objects.filter(project=project).first()
        Task.objects.filter(pk=task.pk).update(data={"text": "brand new words"})
        assert _indexed(project, "brand new") == {task.pk}
        Task.objects.filter(pk=task.pk).delete()
        assert _indexed(project, "brand new") == set()


def test_the_index_can_be_dropped_and_rebuilt_and_search_still_answers(tasks):
    from django.core.management import call_command

    project, made = tasks
    want = _plain(project, "crème")
    if connection.vendor == "postgresql":  # the test's transaction: no DDL with deferred FK checks pending
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("task_search_index", "--drop")
    assert not search.index_present()
    assert _ids(TaskFilter({"text": "crème"}, queryset=Task.objects.filter(project=project)).qs) == want
    call_command("task_search_index")
    assert search.index_present()
    assert _indexed(project, "crème") == want  # rebuilt over the existing tasks
