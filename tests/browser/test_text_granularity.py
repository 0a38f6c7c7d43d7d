"""`granularity` on Text/Labels in real Chromium: a mouse selection inside a word snaps to the whole
sentence (granularity="sentence") or word (granularity="word")."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.browser.helpers import completion_of, labeling_project, open_stream, submit

pytestmark = [pytest.mark.browser, pytest.mark.live]

CONFIG = """<View>
  <Labels name="sent" toName="text" granularity="sentence"><Label value="Claim"/></Labels>
  <Labels name="word" toName="text" granularity="word"><Label value="Name"/></Labels>
  <Text name="text" value="$text"/>
</View>"""
TEXT = "We met Alexandra at noon. It was very late! Then we left."

BOX = """([word]) => {
    const el = document.querySelector('#labeling .ls-text');
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const i = n.data.indexOf(word);
        if (i < 0) continue;
        const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + word.length);
        const b = r.getBoundingClientRect(); return {x: b.x, y: b.y, w: b.width, h: b.height};
    }
    return null;
}"""


def _select_inside(page, part):
    box = page.evaluate(BOX, [part])
    page.mouse.move(box["x"] + 1, box["y"] + box["h"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["w"] - 1, box["y"] + box["h"] / 2, steps=4)
    page.mouse.up()


def test_selection_snaps_to_sentence_and_word(page, live_server, users):
    project, (task,) = labeling_project(users, CONFIG, [{"text": TEXT}])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    area.locator('.ls-label[data-control="sent"][data-value="Claim"]').click()
    _select_inside(page, "as ver")  # inside "was very"
    expect(area.locator(".ls-region-item")).to_have_count(1)
    page.keyboard.press("Escape")
    area.locator('.ls-label[data-control="word"][data-value="Name"]').click()
    _select_inside(page, "lexan")  # inside "Alexandra"
    expect(area.locator(".ls-region-item")).to_have_count(2)
    submit(page, task)
    spans = {r["from_name"]: r["value"] for r in completion_of(task, users["ann1"]).result}
    assert spans["sent"]["text"] == "It was very late!"
    assert TEXT[spans["sent"]["start"] : spans["sent"]["end"]] == "It was very late!"
    assert spans["word"]["text"] == "Alexandra"


URL_CONFIG = """<View>
  <Labels name="word" toName="text" granularity="word"><Label value="Name"/></Labels>
  <Text name="text" value="$doc" valueType="url"/>
</View>"""


def test_text_by_url_is_fetched_through_the_server(page, live_server, users, media, settings):
    settings.ALLOW_LOOPBACK_URLS = True  # the media server is on 127.0.0.1
    (media.path / "remote.txt").write_text(TEXT, encoding="utf-8")
    project, (task,) = labeling_project(users, URL_CONFIG, [{"doc": f"{media.url}/remote.txt"}])
    login(page, live_server, users["ann1"])
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    area = open_stream(page, live_server, project)
    expect(area.locator(".ls-text")).to_have_text(TEXT)
    assert any(f"/api/tasks/{task.pk}/data-text?key=doc" in url for url in requests), requests
    assert not any(url.startswith(media.url) for url in requests)
    area.locator('.ls-label[data-control="word"][data-value="Name"]').click()
    _select_inside(page, "lexan")
    expect(area.locator(".ls-region-item")).to_have_count(1)
    submit(page, task)
    (span,) = completion_of(task, users["ann1"]).result
    assert span["value"]["text"] == "Alexandra" and TEXT[span["value"]["start"] : span["value"]["end"]] == "Alexandra"
