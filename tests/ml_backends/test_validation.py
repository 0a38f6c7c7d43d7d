"""Matching a /predict answer to the tasks sent, and checking each prediction against the config."""

from ml_backends.validation import normalize_response
from projects.label_config import parse
from tests.factories import TEXT_CONFIG

CONFIG = parse(TEXT_CONFIG)
TASKS = [{"id": 1, "data": {"text": "a"}}, {"id": 2, "data": {"text": "b"}}]


def choice(label, **extra):
    return {"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [label]}, **extra}


def test_one_prediction_per_task_with_versions_and_scores():
    data = {
        "results": [{"result": [choice("Positive")], "score": 0.9}, {"result": [choice("Negative", score=0.2)]}],
        "model_version": 7,
    }
    out = normalize_response(data, TASKS, CONFIG, default_version="setup")
    assert out.error == "" and out.rejected == []
    assert [(p["task"], p["score"], p["model_version"]) for p in out.predictions] == [(1, 0.9, "7"), (2, 0.2, "7")]


def test_an_item_may_be_a_list_of_predictions_or_a_bare_result_list():
    data = {
        "results": [
            [
                {"result": [choice("Positive")], "model_version": "a"},
                {"result": [choice("Neutral")], "model_version": "b"},
            ],
            [choice("Negative")],
        ]
    }
    out = normalize_response(data, TASKS, CONFIG, default_version="setup")
    assert [(p["task"], p["model_version"]) for p in out.predictions] == [(1, "a"), (1, "b"), (2, "setup")]


def test_a_prediction_that_does_not_fit_is_rejected_and_the_rest_kept():
    data = {"results": [{"result": [choice("Maybe")]}, {"result": [choice("Negative")], "score": "high"}]}
    out = normalize_response(data, TASKS, CONFIG)
    assert out.predictions == []
    assert [r["task"] for r in out.rejected] == [1, 2]
    assert out.rejected[0]["errors"][0]["index"] == 0
    assert "value.choices" in out.rejected[0]["errors"][0]["field"]
    assert out.rejected[1]["errors"][0]["field"] == "score"

    data = {"results": [{"result": [choice("Maybe")]}, {"result": [choice("Negative")]}]}
    out = normalize_response(data, TASKS, CONFIG)
    assert [p["task"] for p in out.predictions] == [2] and [r["task"] for r in out.rejected] == [1]


def test_a_count_mismatch_fails_the_batch():
    out = normalize_response({"results": [{"result": [choice("Positive")]}]}, TASKS, CONFIG)
    assert out.error == "the backend returned 1 results for 2 tasks" and out.predictions == []
    assert normalize_response({"nothing": 1}, TASKS, CONFIG).error


def test_a_bare_list_answer_is_read_as_results():
    out = normalize_response([{"result": [choice("Positive")]}, {"result": []}], TASKS, CONFIG, default_version="x")
    assert [(p["task"], p["result"] == [], p["score"]) for p in out.predictions] == [(1, False, None), (2, True, None)]
