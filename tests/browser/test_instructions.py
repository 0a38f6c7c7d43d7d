"""Project instructions on the labeling page are rendered as sanitised HTML (issue 11), as Label
Studio shows them, instead of escaped markup."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.browser.helpers import labeling_project, open_stream
from tests.browser.test_labeling import TEXT_CLASSIFICATION

pytestmark = [pytest.mark.browser, pytest.mark.live]

INSTRUCTION = (
    "<h3>Rules</h3><p>Pick <b>one</b> sentiment. <a href='https://example.com/guide'>Guide</a></p>"
    "<script>window.pwned = 1</script><img src='x' onerror='window.pwned = 2'>"
    "<a id='bad' href='javascript:window.pwned=3'>bad</a>"
)


def test_html_instructions_are_rendered_sanitised(page, live_server, users):
    project, _ = labeling_project(
        users, TEXT_CLASSIFICATION, [{"text": "fine"}], expert_instruction=INSTRUCTION, show_instruction=True
    )
    login(page, live_server, users["ann1"])
    open_stream(page, live_server, project)
    body = page.locator("#instructions .instructions-body")
    expect(body.locator("h3")).to_have_text("Rules")
    expect(body.locator("b")).to_have_text("one")
    expect(body.locator('a[href="https://example.com/guide"]')).to_have_text("Guide")
    expect(body).not_to_contain_text("<h3>")  # not escaped markup
    assert body.locator("script").count() == 0
    assert body.evaluate("el => el.innerHTML").lower().count("onerror") == 0
    assert body.evaluate("el => [...el.querySelectorAll('a')].every(a => !a.href.startsWith('javascript'))")
    assert page.evaluate("window.pwned") is None


def test_plain_text_instructions_keep_their_lines(page, live_server, users):
    project, _ = labeling_project(
        users, TEXT_CLASSIFICATION, [{"text": "fine"}], expert_instruction="Line one\nline two", show_instruction=True
    )
    login(page, live_server, users["ann1"])
    open_stream(page, live_server, project)
    body = page.locator("#instructions .instructions-body")
    expect(body.locator("br")).to_have_count(1)
    expect(body).to_contain_text("Line one")
