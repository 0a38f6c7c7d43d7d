"""Choices layout="select" in real Chromium: a drop-down (single) and a multi-select list (choice="multiple");
the picked values are submitted, validate against the config and come back when the task is reopened."""

import pytest
from playwright.sync_api import expect

from projects.label_config import parse
from tests.browser.conftest import login
from tests.browser.helpers import completion_of, labeling_project, open_stream, submit

pytestmark = [pytest.mark.browser, pytest.mark.live]

CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Choices name="mood" toName="text" layout="select">
    <Choice value="Positive"/><Choice value="Negative" alias="neg"/><Choice value="Neutral"/>
  </Choices>
  <Choices name="topics" toName="text" layout="select" choice="multiple">
    <Choice value="Sports"/><Choice value="Politics"/><Choice value="Weather"/>
  </Choices>
</View>"""


def test_select_layout_single_and_multiple(page, live_server, users):
    project, (task,) = labeling_project(users, CONFIG, [{"text": "Rain again at the match."}])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    mood = area.locator('select.ls-choices-select[data-control="mood"]')
    topics = area.locator('select.ls-choices-select[data-control="topics"]')
    expect(mood).to_be_visible()
    assert area.locator('.ls-choice[data-control="mood"]').count() == 0
    mood.select_option(label="Negative")
    topics.select_option(label=["Sports", "Weather"])
    submit(page, task)
    result = completion_of(task, users["ann1"]).result
    got = {r["from_name"]: r["value"]["choices"] for r in result}
    assert got == {"mood": ["neg"], "topics": ["Sports", "Weather"]}
    assert parse(CONFIG).validate_result(result, task.data) == []
    area = open_stream(page, live_server, project, task)
    expect(area.locator('select[data-control="mood"] option:checked')).to_have_text("Negative")
    expect(area.locator('select[data-control="topics"] option:checked')).to_have_text(["Sports", "Weather"])


NESTED = """<View>
  <Text name="text" value="$text"/>
  <Choices name="kind" toName="text" allowNested="true" choice="multiple">
    <Choice value="Animal"><Choice value="Bird"/><Choice value="Cat"/></Choice>
    <Choice value="Plant"/>
  </Choices>
  <Choices name="src" toName="text" value="$options" allownested="true" choice="multiple"/>
</View>"""


def test_allow_nested_choices_write_paths(page, live_server, users):
    data = {"text": "A cat and a bird.", "options": [{"value": "Web", "children": [{"value": "News"}]}, "Images"]}
    project, (task,) = labeling_project(users, NESTED, [data])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    expect(area.locator('.ls-choice[data-control="kind"]')).to_have_count(4)
    area.locator('.ls-choice[data-path="Animal"]').click()  # a parent picks all its children
    expect(area.locator('.ls-choice[data-path="Animal/Bird"]')).to_have_attribute("aria-checked", "true")
    area.locator('.ls-choice[data-path="Animal/Bird"]').click()
    expect(area.locator('.ls-choice[data-path="Animal"]')).to_have_attribute("aria-checked", "false")
    area.locator('.ls-choice[data-path="Web/News"]').click()
    submit(page, task)
    result = completion_of(task, users["ann1"]).result
    got = {r["from_name"]: r["value"]["choices"] for r in result}
    assert got == {"kind": [["Animal", "Cat"]], "src": [["Web", "News"]]}
    assert parse(NESTED).validate_result(result, task.data) == []
