"""JSON task files: shapes, pre-annotations, and every error case leaving the project unchanged."""

import json

import pytest

from annotators.models import Completion
from ml_backends.models import Prediction
from tasks.models import Task
from tasks.services import task_counters_refresh
from tests import factories
from tests.tasks.importers.conftest import json_file, snapshot, upload

RESULT = [
    {"id": "r1", "from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}
]


def test_list_of_tasks_in_file_order(project, run_import):
    tasks = [{"text": "first"}, {"data": {"text": "second"}, "meta": {"source": "x"}}, {"text": "third", "extra": 1}]
    job = run_import(project, files=[json_file("tasks.json", tasks)])
    assert job.status == "succeeded", job.error
    assert job.result["task_count"] == 3 and job.result["rows_read"] == 3
    rows = list(project.tasks.order_by("id").values("data", "meta", "import_job"))
    assert [r["data"] for r in rows] == [{"text": "first"}, {"text": "second"}, {"text": "third", "extra": 1}]
    assert rows[1]["meta"] == {"source": "x"}
    assert {r["import_job"] for r in rows} == {job.pk}


def test_single_task_object(project, run_import):
    job = run_import(project, files=[json_file("one.json", {"data": {"text": "only"}})])
    assert job.status == "succeeded", job.error
    assert list(project.tasks.values_list("data", flat=True)) == [{"text": "only"}]


def test_bom_and_unicode(project, run_import):
    content = "\ufeff" + json.dumps([{"text": "naïve café ✓ \\ backslash"}], ensure_ascii=False)
    job = run_import(project, files=[upload("bom.json", content)])
    assert job.status == "succeeded", job.error
    assert project.tasks.get().data == {"text": "naïve café ✓ \\ backslash"}


def test_annotations_completions_and_predictions(project, run_import, manager):
    other = factories.make_user("other")
    tasks = [
        {
            "data": {"text": "a"},
            "annotations": [
                {"result": RESULT, "completed_by": other.pk, "lead_time": 3.5, "ground_truth": True},
                {"result": [], "was_cancelled": True, "completed_by": {"id": 99999, "email": manager.email}},
            ],
            "predictions": [{"result": RESULT, "score": 0.9, "model_version": "v2"}],
        },
        {"data": {"text": "b"}, "completions": [{"result": RESULT, "completed_by": other.email}]},
        {"data": {"text": "c"}, "annotations": [{"result": RESULT, "completed_by": 424242}]},
        {"text": "d"},
    ]
    job = run_import(project, files=[json_file("pre.json", tasks)])
    assert job.status == "succeeded", job.error
    assert (job.result["task_count"], job.result["annotation_count"], job.result["prediction_count"]) == (4, 4, 1)
    a, b, c, d = project.tasks.order_by("id")
    ca = {x.completed_by_id: x for x in Completion.objects.filter(task=a)}
    assert set(ca) == {other.pk, manager.pk}
    assert ca[other.pk].ground_truth and ca[other.pk].lead_time == 3.5 and ca[other.pk].result == RESULT
    assert ca[manager.pk].was_cancelled
    assert Completion.objects.get(task=b).completed_by == other
    assert Completion.objects.get(task=c).completed_by == manager  # unknown id -> the importer
    prediction = Prediction.objects.get(task=a)
    assert (prediction.model_version, prediction.score, prediction.result) == ("v2", 0.9, RESULT)
    assert Completion.objects.filter(import_job=job).count() == 4
    assert Prediction.objects.filter(import_job=job).count() == 1
    before = list(
        project.tasks.order_by("id").values_list(
            "total_annotations", "cancelled_annotations", "total_predictions", "is_labeled"
        )
    )
    assert before == [(1, 1, 1, True), (1, 0, 0, True), (1, 0, 0, True), (0, 0, 0, False)]
    task_counters_refresh(project.tasks.values_list("id", flat=True))  # the counters written match a recount
    assert (
        list(
            project.tasks.order_by("id").values_list(
                "total_annotations", "cancelled_annotations", "total_predictions", "is_labeled"
            )
        )
        == before
    )


def test_overlap_decides_is_labeled(manager, run_import):
    project = factories.make_project(created_by=manager, maximum_annotations=2)
    job = run_import(
        project, files=[json_file("t.json", [{"data": {"text": "a"}, "annotations": [{"result": RESULT}]}])]
    )
    assert job.status == "succeeded", job.error
    assert project.tasks.get().is_labeled is False


@pytest.fixture
def existing(project):
    factories.make_task(project, {"text": "already here"})
    return snapshot(project)


def assert_failed_unchanged(job, project, existing, *messages):
    assert job.status == "failed", job.result
    for message in messages:
        assert message in job.error, job.error
    assert snapshot(project) == existing
    assert not Task.objects.filter(import_job=job).exists()


def test_malformed_json_names_the_line(project, run_import, existing):
    content = '[\n  {"text": "a"},\n  {"text": "b",},\n  {"text": "c"}\n]'
    job = run_import(project, files=[upload("broken.json", content)])
    assert_failed_unchanged(job, project, existing, "broken.json", "line 3", "malformed JSON")
    assert job.errors[0]["file"] == "broken.json" and job.errors[0]["line"] == 3


def test_truncated_json(project, run_import, existing):
    job = run_import(project, files=[upload("cut.json", '[{"text": "a"}, {"text": "b"')])
    assert_failed_unchanged(job, project, existing, "cut.json", "malformed JSON")


def test_non_utf8_json(project, run_import, existing):
    content = '[{"text": "ok"},\n {"text": "caf\xe9"}]'.encode("latin-1")
    job = run_import(project, files=[upload("latin1.json", content)])
    assert_failed_unchanged(job, project, existing, "latin1.json", "line 2", "not UTF-8", "0xE9")


def test_task_missing_a_config_key(project, run_import, existing):
    job = run_import(project, files=[json_file("t.json", [{"text": "fine"}, {"title": "no text"}])])
    assert_failed_unchanged(job, project, existing, "t.json", "row 2", "'text' is missing")
    assert job.errors[0] | {"message": None} == {
        "file": "t.json",
        "row": 2,
        "line": None,
        "key": "text",
        "message": None,
    }


def test_invalid_prediction(project, run_import, existing):
    bad = [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Angry"]}}]
    job = run_import(project, files=[json_file("p.json", [{"data": {"text": "a"}, "predictions": [{"result": bad}]}])])
    assert_failed_unchanged(job, project, existing, "p.json", "row 1", "predictions[0].result[0]", "Angry")
    assert job.errors[0]["key"].startswith("predictions[0].result[0].value")


def test_invalid_annotation_control(project, run_import, existing):
    bad = [{"from_name": "nope", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}]
    job = run_import(project, files=[json_file("a.json", [{"data": {"text": "a"}, "annotations": [{"result": bad}]}])])
    assert_failed_unchanged(job, project, existing, "annotations[0].result[0].from_name", "'nope' names no control")


def test_same_user_twice_on_a_task(project, run_import, existing):
    task = {"data": {"text": "a"}, "annotations": [{"result": RESULT}, {"result": RESULT}]}
    job = run_import(project, files=[json_file("dup.json", [task])])
    assert_failed_unchanged(job, project, existing, "same user")


def test_url_key_must_be_a_url(manager, run_import):
    project = factories.make_project(
        created_by=manager,
        label_config=(
            '<View><Image name="img" value="$image"/><Choices name="c" toName="img"><Choice value="x"/></Choices></View>'
        ),
    )
    job = run_import(project, files=[json_file("i.json", [{"image": "https://x.org/a.png"}, {"image": 5}])])
    assert job.status == "failed"
    assert "row 2" in job.error and "'image' must be a URL" in job.error
    assert project.tasks.count() == 0


def test_nesting_depth_limit(project, run_import, existing, settings):
    settings.IMPORT_MAX_JSON_DEPTH = 5
    deep = {"text": "a", "x": [[[[[["too deep"]]]]]]}
    job = run_import(project, files=[json_file("deep.json", [deep])])
    assert_failed_unchanged(job, project, existing, "nested deeper than 5 levels")


def test_nul_character_is_refused(project, run_import, existing):
    job = run_import(project, files=[json_file("nul.json", [{"text": "a\u0000b"}])])
    assert_failed_unchanged(job, project, existing, "NUL character")


def test_not_a_task_list(project, run_import, existing):
    job = run_import(project, files=[upload("s.json", '"just a string"')])
    assert_failed_unchanged(job, project, existing, "expected a JSON list of tasks")
    job = run_import(project, files=[json_file("n.json", [1, 2])])
    assert_failed_unchanged(job, project, existing, "a task must be a JSON object, got int")


def test_first_100_errors_and_the_count(project, run_import, existing):
    tasks = [{"text": "ok"}] + [{"wrong": i} for i in range(150)]
    job = run_import(project, files=[json_file("many.json", tasks)])
    assert_failed_unchanged(job, project, existing, "150 errors", "nothing was imported")
    assert len(job.errors) == 100 and job.result["error_count"] == 150
    assert [e["row"] for e in job.errors[:3]] == [2, 3, 4]


def test_skip_bad_rows_imports_the_rest(project, run_import, existing):
    tasks = [{"text": "good 1"}, {"wrong": 1}, {"text": "good 2"}, {"data": {"text": 3}, "predictions": [{}]}]
    job = run_import(project, files=[json_file("mix.json", tasks)], options={"commit_mode": "skip_bad_rows"})
    assert job.status == "succeeded", job.error
    assert job.result["task_count"] == 2 and job.result["error_count"] == 2 and job.result["skipped_rows"] == 2
    assert [e["row"] for e in job.errors] == [2, 4]
    assert sorted(project.tasks.filter(import_job=job).values_list("data__text", flat=True)) == ["good 1", "good 2"]


def test_empty_input(project, run_import, existing):
    job = run_import(project, files=[json_file("e.json", [])])
    assert_failed_unchanged(job, project, existing, "no tasks found")


@pytest.mark.parametrize("skip_fk_triggers", [True, False])
def test_postgres_writer_with_and_without_fk_triggers(project, run_import, settings, monkeypatch, skip_fk_triggers):
    """Both ways of the PostgreSQL writer (per-row foreign-key triggers skipped under locks, or run)."""
    from django.db import connection

    from tasks.importers import writer_pg

    settings.IMPORT_PG_SKIP_FK_TRIGGERS = skip_fk_triggers
    seen = {}
    original = writer_pg.PostgresSink.trust_foreign_keys

    def spy(self, *args):
        seen["trusted"] = original(self, *args)
        return seen["trusted"]

    monkeypatch.setattr(writer_pg.PostgresSink, "trust_foreign_keys", spy)  # observe, not replace
    tasks = [
        {"data": {"text": f"t{i}"}, "annotations": [{"result": RESULT}], "predictions": [{"result": RESULT}]}
        for i in range(3)
    ]
    job = run_import(project, files=[json_file("t.json", [{"text": "first"}, *tasks, {"text": "plain"}])])
    assert job.status == "succeeded", job.error
    assert seen["trusted"] is (skip_fk_triggers and connection.vendor == "postgresql")
    assert project.tasks.count() == 5 and project.completions.count() == 3 and project.predictions.count() == 3
    assert list(project.tasks.order_by("id").values_list("data__text", flat=True)) == [
        "first",
        "t0",
        "t1",
        "t2",
        "plain",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")  # only the import's own writes ran without triggers
        assert cursor.fetchone()[0] == "origin"
