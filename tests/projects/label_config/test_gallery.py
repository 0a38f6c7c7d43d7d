"""Every gallery template parses, its sample task fits, and its example result is valid."""

import pytest

from projects.label_config import get_template, list_templates, parse, sample_task

TEMPLATES = list_templates()
REQUIRED_RESULT_TYPES = {
    "choices", "labels", "relation", "taxonomy", "paragraphlabels", "rectanglelabels", "rectangle", "polygonlabels",
    "keypointlabels", "ellipselabels", "brushlabels", "textarea", "rating", "number", "datetime", "pairwise", "ranker",
}  # fmt: skip


def test_gallery_has_the_promised_templates():
    slugs = {t["slug"] for t in TEMPLATES}
    assert len(TEMPLATES) >= 15
    assert {"text-classification", "named-entity-recognition", "object-detection", "audio-transcription",
            "pairwise-comparison", "search-ranking", "multimodal-review", "taxonomy", "dialogue-analysis",
            "table-classification"} <= slugs  # fmt: skip
    for template in TEMPLATES:
        assert set(template) >= {"slug", "title", "group", "description", "config", "sample_task"}
        assert template["title"] and template["group"] and template["description"]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t["slug"])
def test_template_parses_and_its_data_and_result_are_valid(template):
    config = parse(template["config"])
    assert config.validate_task_data(template["sample_task"]) == []
    assert config.validate_task_data(sample_task(config)) == []
    assert template["example_result"], "every template ships an example result"
    assert [str(e) for e in config.validate_result(template["example_result"], template["sample_task"])] == []


def test_examples_cover_the_result_types():
    used = {item["type"] for t in TEMPLATES for item in t["example_result"]}
    assert REQUIRED_RESULT_TYPES <= used


def test_get_template():
    assert get_template("image-classification")["title"] == "Image classification"
    with pytest.raises(KeyError):
        get_template("nope")


def test_templates_are_copies():
    get_template("taxonomy")["sample_task"]["text"] = "changed"
    assert get_template("taxonomy")["sample_task"]["text"] != "changed"
