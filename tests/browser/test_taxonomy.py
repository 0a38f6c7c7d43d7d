"""Taxonomy in real Chromium: the search box filters the tree; with isEditable the annotator adds an
item under another and picks it; with value="$field" the tree comes from the task's data. Each
submitted path is exported (JSON) and validates against the config and the task's data."""

import json

import pytest
from playwright.sync_api import expect

from projects.label_config import parse
from tests.browser.conftest import login
from tests.browser.helpers import completion_of, labeling_project, no_favicon, open_stream, submit
from tests.tasks.exporters.conftest import run_export

pytestmark = [pytest.mark.browser, pytest.mark.live]

CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Taxonomy name="tax" toName="text" isEditable="true">
    <Choice value="Animal"><Choice value="Bird"/><Choice value="Mammal"><Choice value="Cat"/></Choice></Choice>
    <Choice value="Plant"><Choice value="Tree"/></Choice>
  </Taxonomy>
</View>"""


def test_search_filters_and_a_user_item_is_picked(page, live_server, users):
    project, (task,) = labeling_project(users, CONFIG, [{"text": "A small fish swims."}])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    items = area.locator(".ls-taxonomy-item")
    expect(items.filter(has_text="Plant")).to_be_visible()
    expect(area.locator('.ls-taxonomy-item[data-path="Animal/Mammal/Cat"]')).to_be_hidden()  # collapsed
    area.locator(".ls-taxonomy-search").fill("ca")
    expect(area.locator('.ls-taxonomy-item[data-path="Animal/Mammal/Cat"]')).to_be_visible()
    expect(area.locator('.ls-taxonomy-item[data-path="Plant"]')).to_have_count(0)
    expect(area.locator('.ls-taxonomy-item[data-path="Animal/Bird"]')).to_have_count(0)
    area.locator(".ls-taxonomy-search").fill("")
    expect(area.locator('.ls-taxonomy-item[data-path="Plant"]')).to_be_visible()
    # add "Fish" under Animal, and a duplicate is refused with a message
    area.locator('.ls-taxonomy-item[data-path="Animal"] > .ls-taxonomy-add').click()
    new = area.locator('.ls-taxonomy-item[data-path="Animal"] > .ls-taxonomy-new')
    new.fill("Bird")
    new.press("Enter")
    expect(area.locator(".ls-taxonomy-error")).to_contain_text("Bird is already there")
    new.fill("Fish")
    new.press("Enter")
    fish = area.locator('.ls-taxonomy-item[data-path="Animal/Fish"]')
    expect(fish).to_be_visible()
    fish.locator("input[type=checkbox]").check()
    expect(area.locator(".ls-taxonomy-selected")).to_have_text("Animal / Fish")
    submit(page, task)
    result = completion_of(task, users["ann1"]).result
    assert [r["value"]["taxonomy"] for r in result if r["from_name"] == "tax"] == [[["Animal", "Fish"]]]
    assert parse(CONFIG).validate_result(result, task.data) == []
    # the user item lives in the annotation's result: exported with it, the config unchanged
    (line,) = json.loads(run_export(project, "JSON")["result.json"])
    exported = line["annotations"][0]["result"]
    assert [r["value"]["taxonomy"] for r in exported if r["from_name"] == "tax"] == [[["Animal", "Fish"]]]
    assert parse(CONFIG).validate_result(exported, line["data"]) == []
    assert "Fish" not in project.label_config  # the config is not changed by an annotator
    # reopened, the user item is back in the tree and checked
    area = open_stream(page, live_server, project, task)
    expect(area.locator('.ls-taxonomy-item[data-path="Animal/Fish"] input[type=checkbox]')).to_be_checked()


FROM_DATA = """<View>
  <Text name="text" value="$text"/>
  <Taxonomy name="topic" toName="text" value="$topics"><Choice value="Other"/></Taxonomy>
</View>"""


def test_tree_from_task_data_is_shown_searched_picked_and_exported(page, live_server, users):
    tree = [
        {"value": "Sports", "children": [{"value": "Football"}, {"value": "Tennis", "alias": "tennis"}]},
        {"value": "Politics", "children": ["Elections"]},
    ]
    project, (first, second) = labeling_project(
        users,
        FROM_DATA,
        [
            {"text": "The final set went to a tie-break.", "topics": tree},
            {"text": "Polls close.", "topics": ["Weather"]},
        ],
    )
    login(page, live_server, users["ann1"])
    no_favicon(page)
    area = open_stream(page, live_server, project, first)
    levels = area.locator(".ls-taxonomy-level").first.locator(":scope > .ls-taxonomy-item")
    expect(levels).to_have_count(3)  # the config's item, then the task's
    expect(levels.nth(0)).to_have_attribute("data-path", "Other")
    expect(levels.nth(1)).to_have_attribute("data-path", "Sports")
    area.locator(".ls-taxonomy-search").fill("tenn")
    tennis = area.locator('.ls-taxonomy-item[data-path="Sports/tennis"]')
    expect(tennis).to_be_visible()
    expect(tennis.locator(".ls-taxonomy-label")).to_have_text("Tennis")  # shown by value, written by alias
    expect(area.locator('.ls-taxonomy-item[data-path="Politics"]')).to_have_count(0)
    tennis.locator("input[type=checkbox]").check()
    area.locator(".ls-taxonomy-search").fill("")
    area.locator('.ls-taxonomy-item[data-path="Politics"] > .ls-taxonomy-toggle').click()
    area.locator('.ls-taxonomy-item[data-path="Politics/Elections"] input[type=checkbox]').check()
    expect(area.locator(".ls-taxonomy-selected .ls-chip")).to_have_count(2)
    submit(page, first)

    # another task offers its own tree
    area = open_stream(page, live_server, project, second)
    expect(area.locator('.ls-taxonomy-item[data-path="Weather"]')).to_be_visible()
    expect(area.locator('.ls-taxonomy-item[data-path="Sports"]')).to_have_count(0)

    lines = {line["id"]: line for line in json.loads(run_export(project, "JSON")["result.json"])}
    line = lines[first.pk]
    exported = line["annotations"][0]["result"]
    assert [r["value"]["taxonomy"] for r in exported] == [[["Sports", "tennis"], ["Politics", "Elections"]]]
    config = parse(FROM_DATA)
    assert config.validate_result(exported, line["data"]) == []
    # the same paths are refused against the other task's tree: the check reads the data
    assert config.validate_result(exported, lines[second.pk]["data"]) != []
    assert page.js_errors == []
