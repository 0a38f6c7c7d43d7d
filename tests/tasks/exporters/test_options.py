"""Export options select the right completions and tasks; rows stream with a fixed number of
queries per batch; bad options are 400s that name the option."""

import json

import pytest
from django.utils import timezone

from labelstudio.core.exceptions import ApplicationError
from tasks.exporters.options import ExportOptions
from tasks.exporters.rows import iter_tasks
from tests import factories

from .cases import TEXT_CONFIG, choice, text_tasks
from .conftest import build, run_export


@pytest.fixture
def users(db):
    return {
        "alice": factories.make_user("alice"),
        "bob": factories.make_user("bob"),
        "carol": factories.make_user("carol"),
    }


@pytest.fixture
def project(users):
    return build(TEXT_CONFIG, text_tasks(), users)


def exported(project, **options) -> list[dict]:
    return json.loads(run_export(project, "JSON", **options)["result.json"])


def who(tasks, users) -> list[list[str]]:
    names = {u.pk: n for n, u in users.items()}
    return [[names[a["completed_by"]] for a in t["annotations"]] for t in tasks]


def test_defaults_keep_cancelled_and_tasks_without_completions(project, users):
    # lossless, as Label Studio's JSON: skipped completions stay, marked was_cancelled
    tasks = exported(project)
    assert [t["data"]["text"][:5] for t in tasks] == ["Zoë M", "東京 is", "No la", "He sa"]
    assert who(tasks, users) == [["alice", "bob"], ["alice", "bob"], [], ["alice"]]
    assert [a["was_cancelled"] for a in tasks[1]["annotations"]] == [True, False]
    assert who(exported(project, include_cancelled=False), users) == [["alice", "bob"], ["bob"], [], ["alice"]]
    assert tasks[0]["predictions"][0]["model_version"] == "ner-1"


def test_include_cancelled_and_only_completed(project, users):
    tasks = exported(project, include_cancelled=True, only_completed=True)
    assert who(tasks, users) == [["alice", "bob"], ["alice", "bob"], ["alice"]]
    assert tasks[1]["annotations"][0]["was_cancelled"] is True


def test_only_ground_truth_and_annotator(project, users):
    assert who(exported(project, only_ground_truth=True, only_completed=True), users) == [["bob"]]
    assert who(exported(project, annotator_ids=[users["alice"].pk], only_completed=True), users) == [
        ["alice"],
        ["alice"],  # the skipped one
        ["alice"],
    ]


def test_only_accepted_by_review(project, users):
    from annotators.models import Completion

    Completion.objects.filter(project=project, completed_by=users["bob"], task__data__text__startswith="Zoë").update(
        review_status="accepted"
    )
    tasks = exported(project, only_accepted=True, only_completed=True)
    assert who(tasks, users) == [["bob"]]


def test_one_per_task_ground_truth_then_latest(project, users):
    from annotators.models import Completion

    first = project.tasks.order_by("id").first()
    Completion.objects.filter(task=first, completed_by=users["alice"]).update(updated_at=timezone.now())
    assert who(exported(project, one_per_task="latest", only_completed=True), users) == [["alice"], ["bob"], ["alice"]]
    # a skip is never picked over an answer, even when it is the latest
    second = project.tasks.order_by("id")[1]
    Completion.objects.filter(task=second).update(ground_truth=False)
    Completion.objects.filter(task=second, was_cancelled=True).update(updated_at=timezone.now())
    assert who(exported(project, one_per_task="latest", only_completed=True), users) == [["alice"], ["bob"], ["alice"]]


def test_one_per_task_majority(users):
    spec = [
        {
            "data": {"text": "vote"},
            "completions": [
                {"by": "alice", "result": [choice("Positive")]},
                {"by": "bob", "result": [choice("Negative")]},
                {"by": "carol", "result": [choice("Negative")]},
            ],
        }
    ]
    project = build(TEXT_CONFIG, spec, users)
    from annotators.models import Completion

    Completion.objects.filter(completed_by=users["alice"]).update(updated_at=timezone.now())  # latest, but outvoted
    tasks = exported(project, one_per_task="majority")
    assert tasks[0]["annotations"][0]["result"][0]["value"]["choices"] == ["Negative"]
    assert who(exported(project, one_per_task="latest"), users) == [["alice"]]


def test_task_ids_and_filters(project, users):
    ids = list(project.tasks.order_by("id").values_list("id", flat=True))
    assert [t["id"] for t in exported(project, task_ids=[ids[2], ids[0]])] == [ids[0], ids[2]]
    spec = {
        "conjunction": "and",
        "items": [
            {"filter": "filter:tasks:total_annotations", "operator": "greater", "value": 0},
            {"filter": "filter:tasks:data.text", "operator": "contains", "value": "東京"},
        ],
    }
    assert [t["id"] for t in exported(project, filters=spec)] == [ids[1]]
    either = {
        "conjunction": "or",
        "items": [
            {"filter": "filter:tasks:id", "operator": "equal", "value": ids[3]},
            {"filter": "filter:tasks:annotators", "operator": "in", "value": [users["bob"].pk]},
        ],
    }
    assert [t["id"] for t in exported(project, filters=either)] == [ids[0], ids[1], ids[3]]
    # the data manager's own filter parameters work too
    assert [t["id"] for t in exported(project, filters={"has_ground_truth": True})] == [ids[1]]


def test_label_studio_option_shapes(project, users):
    options = ExportOptions.from_dict(
        {
            "annotation_filter_options": {"usual": False, "ground_truth": True, "skipped": True},
            "task_filter_options": {"only_with_annotations": True, "finished": "only"},
            "serialization_options": {"annotations__completed_by": {"only_id": False}},
        }
    )
    assert (options.completion_kinds, options.only_completed) == (["ground_truth", "skipped"], True)
    assert options.finished == "only" and options.expand_users
    tasks = exported(project, **options.to_dict())
    # ground truth or skipped: alice's skipped and bob's ground truth on the one task with either
    assert [
        (a["completed_by"]["email"], a["was_cancelled"], a["ground_truth"]) for t in tasks for a in t["annotations"]
    ] == [
        (users["alice"].email, True, False),
        (users["bob"].email, False, True),
    ]


def test_label_studio_annotation_filter_defaults(project, users):
    """Sent at all, Label Studio's object selects "usual" completions (not skipped, not ground
    truth) unless told otherwise; not sent, every completion is exported."""
    usual = exported(project, annotation_filter_options={"usual": True})
    assert who(usual, users) == [["alice", "bob"], [], [], ["alice"]]
    both = exported(project, annotation_filter_options={"ground_truth": True})
    assert who(both, users) == [["alice", "bob"], ["bob"], [], ["alice"]]
    assert who(exported(project, annotation_filter_options={"usual": False}), users) == who(exported(project), users)
    with pytest.raises(ApplicationError) as err:
        ExportOptions.from_dict({"completion_kinds": ["usual", "deleted"]})
    assert err.value.extra["field"] == "completion_kinds"


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"only_ground_truth": "maybe"}, "only_ground_truth"),
        ({"one_per_task": "random"}, "one_per_task"),
        ({"task_ids": ["x"]}, "task_ids"),
        ({"nonsense": 1}, "options"),
        ({"changed_since": "yesterday"}, "changed_since"),
    ],
)
def test_bad_options_name_the_option(options, field):
    with pytest.raises(ApplicationError) as err:
        ExportOptions.from_dict(options)
    assert err.value.extra["field"] == field


def test_bad_filter_names_the_item(project):
    with pytest.raises(ApplicationError, match=r"filters.items\[0\]: unknown filter"):
        exported(project, filters={"items": [{"filter": "filter:tasks:colour", "operator": "equal", "value": 1}]})


def test_changed_since_picks_tasks_with_new_or_changed_completions(project, users):
    from annotators.models import Completion

    mark = timezone.now()
    task = project.tasks.order_by("id").last()
    Completion.objects.create(task=task, project=project, completed_by=users["carol"], result=[choice("Positive")])
    assert [t["id"] for t in exported(project, changed_since=mark.isoformat())] == [task.pk]


def test_rows_cost_three_queries_per_batch(project, django_assert_num_queries):
    """Keyset pages of tasks, completions and predictions by task-id range: no per-task queries."""
    options = ExportOptions()
    with django_assert_num_queries(3 * 2 + 1):  # two batches of 2 tasks, then the empty page
        tasks = list(iter_tasks(project, options, batch_size=2))
    assert len(tasks) == 4
