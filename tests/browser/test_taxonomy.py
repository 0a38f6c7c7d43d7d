"""Taxonomy in real Chromium: the search box filters the tree; with isEditable the annotator adds an
item under another and picks it, and the submitted path validates against the config."""

import pytest
from playwright.sync_api import expect

from projects.label_config import parse
from tests.browser.conftest import login
from tests.browser.helpers import completion_of, labeling_project, open_stream, submit

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
    # reopened, the user item is back in the tree and checked
    area = open_stream(page, live_server, project, task)
    expect(area.locator('.ls-taxonomy-item[data-path="Animal/Fish"] input[type=checkbox]')).to_be_checked()
