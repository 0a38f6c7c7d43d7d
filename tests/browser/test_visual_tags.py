"""Visual tags in real Chromium: a Repeater over task data (paged), Collapse folding its Panels,
Filter narrowing a control's options, Shortcut inserting text; the submitted result validates."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.browser.helpers import completion_of, labeling_project, open_stream, submit

pytestmark = [pytest.mark.browser, pytest.mark.live]

CONFIG = """<View>
  <Repeater on="$items" indexFlag="{{idx}}" mode="pagination">
    <Text name="text_{{idx}}" value="$items[{{idx}}].text"/>
    <Choices name="sent_{{idx}}" toName="text_{{idx}}"><Choice value="Good"/><Choice value="Bad"/></Choices>
  </Repeater>
  <Collapse>
    <Panel value="Guide"><Markdown value="$guide"/></Panel>
    <Panel value="More"><Header value="Second panel"/></Panel>
  </Collapse>
  <Text name="summary" value="$summary"/>
  <Filter name="find" toName="kind" minlength="1" placeholder="Find a kind"/>
  <Choices name="kind" toName="summary" choice="multiple">
    <Choice value="Apple"/><Choice value="Banana"/><Choice value="Cherry"/>
  </Choices>
  <TextArea name="note" toName="summary"><Shortcut value="[noise]" alias="Noise"/></TextArea>
</View>"""

DATA = {
    "items": [{"text": "first review"}, {"text": "second review"}, {"text": "third review"}],
    "guide": "Label **each** review",
    "summary": "three reviews",
}


def test_repeater_collapse_filter_shortcut(page, live_server, users):
    from projects.label_config import parse

    project, (task,) = labeling_project(users, CONFIG, [DATA])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)

    expect(area.locator(".ls-repeater-item")).to_have_count(3)
    expect(area.locator(".ls-repeater-page")).to_have_text("1 / 3")
    expect(area.get_by_text("first review")).to_be_visible()
    expect(area.get_by_text("second review")).to_be_hidden()
    area.locator('.ls-choice[data-control="sent_0"][data-value="Good"]').click()
    area.locator(".ls-repeater-next").click()
    expect(area.locator(".ls-repeater-page")).to_have_text("2 / 3")
    expect(area.get_by_text("second review")).to_be_visible()
    area.locator('.ls-choice[data-control="sent_1"][data-value="Bad"]').click()

    panels = area.locator(".ls-collapse > details.ls-panel")
    expect(panels).to_have_count(2)
    expect(area.locator(".ls-markdown strong")).to_be_hidden()  # folded at first
    panels.nth(0).locator("summary").click()
    expect(area.locator(".ls-markdown strong")).to_have_text("each")
    panels.nth(1).locator("summary").click()  # accordion: opening one folds the other
    expect(area.get_by_text("Second panel")).to_be_visible()
    expect(area.locator(".ls-markdown strong")).to_be_hidden()

    area.locator('.ls-filter[placeholder="Find a kind"]').fill("an")
    expect(area.locator('.ls-choice[data-control="kind"][data-value="Banana"]')).to_be_visible()
    expect(area.locator('.ls-choice[data-control="kind"][data-value="Apple"]')).to_be_hidden()
    area.locator('.ls-choice[data-control="kind"][data-value="Banana"]').click()
    area.locator('.ls-filter[placeholder="Find a kind"]').fill("")
    expect(area.locator('.ls-choice[data-control="kind"][data-value="Apple"]')).to_be_visible()

    area.locator('.ls-control[data-name="note"] .ls-input').fill("it was ")
    area.locator('.ls-shortcut[data-value="[noise]"]').click()
    expect(area.locator('.ls-control[data-name="note"] .ls-input')).to_have_value("it was [noise]")
    submit(page, task)

    result = completion_of(task, users["ann1"]).result
    assert parse(CONFIG).validate_result(result, DATA) == []
    got = {item["from_name"]: item["value"] for item in result}
    assert got["sent_0"] == {"choices": ["Good"]} and got["sent_1"] == {"choices": ["Bad"]}
    assert got["kind"] == {"choices": ["Banana"]} and got["note"] == {"text": ["it was [noise]"]}
    assert {item["to_name"] for item in result if item["from_name"].startswith("sent_")} == {"text_0", "text_1"}
