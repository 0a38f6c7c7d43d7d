"""The shared Python/JS fixtures: summary() must equal each tests/data/configs/<name>.summary.json."""

import json
from pathlib import Path

import pytest

from projects.label_config import parse
from projects.label_config.tags import REGISTRY

CONFIGS = Path(__file__).resolve().parents[2] / "data" / "configs"
FIXTURES = sorted(CONFIGS.glob("*.xml"))


def test_there_are_enough_fixtures():
    assert len(FIXTURES) >= 12


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_summary_matches_fixture(path):
    expected = json.loads(path.with_suffix(".summary.json").read_text(encoding="utf-8"))
    assert parse(path.read_text(encoding="utf-8")).summary() == expected


def test_fixtures_cover_every_tag():
    used = set()
    for path in FIXTURES:
        config = parse(path.read_text(encoding="utf-8"))
        used |= {tag.tag_name for tag in config.tags}
    assert used == {cls.tag_name for cls in REGISTRY.values()}


def test_summary_keys_and_order():
    summary = parse((CONFIGS / "ner_relations.xml").read_text()).summary()
    assert list(summary) == ["objects", "controls", "dataKeys"]
    assert list(summary["controls"][0]) == ["name", "tag", "type", "toName", "labels"]
    assert [c["tag"] for c in summary["controls"]] == ["Relations", "Labels"]


def test_to_json_is_label_studios_parsed_label_config():
    config = parse((CONFIGS / "text_classification.xml").read_text())
    assert config.to_json() == {
        "sentiment": {
            "type": "Choices",
            "to_name": ["text"],
            "inputs": [{"type": "Text", "value": "text"}],
            "labels": ["Positive", "Negative", "neu"],
            "labels_attrs": {
                "Positive": {"value": "Positive"},
                "Negative": {"value": "Negative"},
                "neu": {"value": "Neutral", "alias": "neu"},
            },
        }
    }
    html = parse((CONFIGS / "html.xml").read_text()).to_json()
    assert html["kind"]["inputs"] == [
        {"type": "HyperText", "value": "html"},
        {"type": "HyperText", "value": "page_url"},
    ]


def test_to_json_leaves_out_nameless_relations():
    assert list(parse((CONFIGS / "ner_relations.xml").read_text()).to_json()) == ["ner"]
