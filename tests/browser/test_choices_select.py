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
