"""Options from the task's data (`value="$options"`): shown, chosen, submitted, accepted by the server."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.browser.helpers import completion_of, labeling_project, open_stream, submit

pytestmark = [pytest.mark.browser, pytest.mark.live]

# as in Label Studio's ASR-hypotheses template: the choices are the task's hypotheses
CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Choices name="best" toName="text" value="$options" choice="single"><Choice value="None"/></Choices>
  <Labels name="kind" toName="text" value="$kinds"/>
</View>"""


def test_choices_and_labels_from_task_data(page, live_server, users):
    data = {
        "text": "the cat sat",
        "options": [{"value": "the cat sat", "hint": "first"}, {"value": "the cap sat"}, {"value": "a cat sad"}],
        "kinds": [{"value": "Noun", "background": "#16a34a"}, "Verb"],
    }
    project, (task,) = labeling_project(users, CONFIG, [data])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    choices = area.locator('.ls-choice[data-control="best"]')
    expect(choices).to_have_count(4)
    expect(choices.nth(1)).to_have_attribute("title", "first")
    expect(area.locator('.ls-label[data-control="kind"]')).to_have_count(2)
    expect(area.locator('.ls-label[data-control="kind"][data-value="Verb"]')).to_be_visible()
    area.locator('.ls-choice[data-control="best"][data-value="the cap sat"]').click()
    submit(page, task)
    (item,) = completion_of(task, users["ann1"]).result
    assert item["from_name"] == "best" and item["value"]["choices"] == ["the cap sat"]
