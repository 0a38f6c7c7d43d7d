"""Config changes are refused when they would orphan controls or labels in use."""

import pytest

from projects.label_config import LabelConfigError, check_config_change, parse, usage_from_results
from projects.label_config.compat import config_change_problems

from .helpers import item, view

OLD = view(
    '  <Text name="text" value="$text"/>',
    '  <Choices name="sentiment" toName="text"><Choice value="Pos"/><Choice value="Neg"/></Choices>',
    '  <Labels name="ner" toName="text"><Label value="PER"/><Label value="LOC"/></Labels>',
    '  <Taxonomy name="tax" toName="text"><Choice value="A"><Choice value="B"/></Choice></Taxonomy>',
)
SENTIMENT = item("sentiment", "text", "choices", {"choices": ["Pos"]})
PER = item("ner", "text", "labels", {"start": 0, "end": 1, "labels": ["PER"]})
LOC = item("ner", "text", "labels", {"start": 2, "end": 3, "labels": ["LOC"]})
TAX = item("tax", "text", "taxonomy", {"taxonomy": [["A", "B"]]})
COMPLETIONS = [[SENTIMENT, PER, PER], [SENTIMENT, LOC], [TAX], "not a list", [{"junk": True}]]


def test_usage_from_results_counts_completions_and_label_results():
    usage = usage_from_results(iter(COMPLETIONS))
    assert usage == {
        "controls": {
            ("sentiment", "text", "choices"): 2,
            ("ner", "text", "labels"): 2,
            ("tax", "text", "taxonomy"): 1,
        },
        "labels": {"sentiment": {"Pos": 2}, "ner": {"PER": 2, "LOC": 1}, "tax": {"A": 1, "B": 1}},
    }


def test_same_config_is_accepted_and_returned_parsed():
    config = check_config_change(OLD, usage_from_results(COMPLETIONS))
    assert list(config.controls) == ["sentiment", "ner", "tax"]


def test_removed_control_in_use_is_refused():
    new = OLD.replace(
        '<Choices name="sentiment" toName="text"><Choice value="Pos"/><Choice value="Neg"/></Choices>', ""
    )
    with pytest.raises(LabelConfigError) as err:
        check_config_change(new, usage_from_results(COMPLETIONS))
    assert "control 'sentiment' is used by 2 completions" in str(err.value)


def test_removed_label_in_use_is_refused_with_count():
    new = OLD.replace('<Label value="PER"/>', "")
    with pytest.raises(LabelConfigError) as err:
        check_config_change(new, usage_from_results(COMPLETIONS))
    assert str(err.value) == "cannot change the config: label 'PER' of 'ner' is used in 2 results"


def test_every_problem_is_listed():
    new = OLD.replace('<Label value="PER"/>', "").replace('<Choice value="B"/>', '<Choice value="C"/>')
    problems = config_change_problems(new, usage_from_results(COMPLETIONS))
    assert problems == ["label 'PER' of 'ner' is used in 2 results", "label 'B' of 'tax' is used in 1 result"]


def test_unused_labels_and_controls_may_go_and_new_ones_come():
    new = OLD.replace('<Choice value="Neg"/>', '<Choice value="Mixed"/>')
    assert config_change_problems(new, usage_from_results(COMPLETIONS)) == []
    assert config_change_problems(new, None) == []


def test_retargeted_or_retyped_control_is_refused():
    usage = {"controls": {"sentiment|text|choices": 12}, "labels": {}}  # Label Studio's key format
    moved = OLD.replace(
        '<Text name="text" value="$text"/>', '<Text name="text" value="$text"/><Text name="t2" value="$t2"/>'
    )
    moved = moved.replace('name="sentiment" toName="text"', 'name="sentiment" toName="t2"')
    assert config_change_problems(moved, usage) == [
        "control 'sentiment' no longer points to 'text', used by 12 completions"
    ]
    retyped = OLD.replace(
        '<Choices name="sentiment" toName="text"><Choice value="Pos"/><Choice value="Neg"/></Choices>',
        '<Labels name="sentiment" toName="text"><Label value="Pos"/></Labels>',
    )
    assert config_change_problems(retyped, usage) == [
        "control 'sentiment' is now <Labels> and cannot hold its 'choices' results, used by 12 completions"
    ]


def test_new_config_is_validated_first():
    with pytest.raises(LabelConfigError, match="names no object tag"):
        check_config_change(view('<Choices name="c" toName="x"><Choice value="a"/></Choices>'), {})


def test_accepts_a_parsed_config():
    assert check_config_change(parse(OLD), {"controls": {}, "labels": {}}).text == OLD
