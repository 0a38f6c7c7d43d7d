"""Personal hotkeys (issue 13): an annotator sets ``annotation:submit=ctrl+s`` on the account page;
the labeling page then submits on Ctrl+S and no longer on the default Ctrl+Enter. The completion is
checked in the database (what the export reads), not only on the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.browser.helpers import labeling_project, open_stream

pytestmark = [pytest.mark.browser, pytest.mark.live]

CONFIG = """<View><Text name="text" value="$text"/>
<Choices name="sentiment" toName="text"><Choice value="Good"/><Choice value="Bad"/></Choices></View>"""


def test_a_personal_submit_key_replaces_the_default(page, live_server, users):
    from annotators.models import Completion

    project, (task, _) = labeling_project(users, CONFIG, [{"text": "one"}, {"text": "two"}])
    annotator = users["ann1"]
    login(page, live_server, annotator)
    page.goto(f"{live_server.url}/user/account/#hotkeys")
    page.locator("#hotkeys textarea[name=hotkeys]").fill("annotation:submit=ctrl+s")
    page.locator("#hotkeys button[type=submit]").click()
    expect(page.locator("#hotkeys textarea[name=hotkeys]")).to_have_value("annotation:submit=ctrl+s")

    area = open_stream(page, live_server, project, task)
    area.locator('[data-control="sentiment"][data-value="Good"]').click()
    area.locator(".ls-root").focus()
    page.keyboard.press("Control+Enter")  # the default submit key is no longer bound
    page.wait_for_timeout(500)
    assert not Completion.objects.filter(task=task, completed_by=annotator).exists()
    page.keyboard.press("Control+s")
    expect(page.locator("#stream-message")).to_contain_text(f"Task #{task.pk} submitted")
    completion = Completion.objects.get(task=task, completed_by=annotator)
    assert completion.result[0]["value"] == {"choices": ["Good"]}
