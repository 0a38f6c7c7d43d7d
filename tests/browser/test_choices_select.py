"""Choices layout="select" in real Chromium: a drop-down (single) and a multi-select list (choice="multiple");
the picked values are submitted, validate against the config and come back when the task is reopened."""

import json

import pytest
from playwright.sync_api import expect

from projects.label_config import parse
from tests.browser.conftest import login
from tests.browser.helpers import completion_of, labeling_project, open_stream, submit
from tests.tasks.exporters.conftest import run_export

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


HOTKEYS = """<View>
  <Text name="text" value="$text"/>
  <Choices name="kind" toName="text" allowNested="true" choice="multiple">
    <Choice value="Animal" hotkey="a"><Choice value="Other" hotkey="q"/><Choice value="Cat" hotkey="c"/></Choice>
    <Choice value="Plant"><Choice value="Other" hotkey="w"/></Choice>
  </Choices>
  <Choices name="where" toName="text" allowNested="true" layout="select">
    <Choice value="Land"><Choice value="Field" hotkey="f"/></Choice><Choice value="Sea" hotkey="s"/>
  </Choices>
</View>"""


def test_hotkeys_on_nested_choices_write_paths_as_clicks_do(page, live_server, users):
    project, (task,) = labeling_project(users, HOTKEYS, [{"text": "Something green by a field."}])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    expect(area.locator('.ls-choice[data-control="kind"]')).to_have_count(5)
    page.locator("body").click(position={"x": 5, "y": 5})  # the page has the keyboard, not an input
    page.keyboard.press("w")  # Plant/Other, not the first "Other" (Animal/Other)
    expect(area.locator('.ls-choice[data-path="Plant/Other"]')).to_have_attribute("aria-checked", "true")
    expect(area.locator('.ls-choice[data-path="Animal/Other"]')).to_have_attribute("aria-checked", "false")
    page.keyboard.press("a")  # a parent's key picks its leaves, as its click does
    expect(area.locator('.ls-choice[data-path="Animal/Cat"]')).to_have_attribute("aria-checked", "true")
    page.keyboard.press("q")  # and a leaf's key toggles it off again
    expect(area.locator('.ls-choice[data-path="Animal/Other"]')).to_have_attribute("aria-checked", "false")
    page.keyboard.press("f")  # the drop-down layout has keys too
    expect(area.locator('select[data-control="where"] option:checked')).to_have_text("\u00a0\u00a0Field")
    submit(page, task)

    (line,) = json.loads(run_export(project, "JSON")["result.json"])
    exported = line["annotations"][0]["result"]
    got = {r["from_name"]: r["value"]["choices"] for r in exported}
    assert got == {"kind": [["Plant", "Other"], ["Animal", "Cat"]], "where": [["Land", "Field"]]}
    assert parse(HOTKEYS).validate_result(exported, line["data"]) == []
    assert [e for e in page.js_errors if "Failed to load resource" not in e] == []  # (no next task: a 404)
