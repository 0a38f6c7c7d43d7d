"""Interactive pre-annotation in the label stream: the region an annotator draws goes to the
project's interactive ML backend (the example backend, a real process) and what it returns
appears in the interface as an editable pre-annotation."""

import sys

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.browser.helpers import completion_of, labeling_project, open_stream, submit
from tests.live import Process, base_env, free_port, wait_http

pytestmark = [pytest.mark.browser, pytest.mark.live]

CONFIG = """<View>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text"><Choice value="Positive"/><Choice value="Negative"/></Choices>
</View>"""


@pytest.fixture
def example_backend():
    port = free_port()
    proc = Process([sys.executable, "-m", "ml_backends.examples.sklearn_text", "--port", str(port)], base_env())
    url = f"http://127.0.0.1:{port}"
    wait_http(url + "/health")
    yield url
    proc.stop()


def test_drawn_span_brings_back_the_models_regions(page, live_server, users, example_backend, settings):
    from ml_backends.services import ml_backend_create

    settings.ALLOW_LOOPBACK_URLS = True
    text = "Alice loved the new phone."
    project, (task,) = labeling_project(users, CONFIG, [{"text": text}])
    ml_backend_create(project=project, url=example_backend, is_interactive=True)
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    positive = area.locator('[data-control="sentiment"][data-value="Positive"]')
    expect(positive).not_to_have_attribute("aria-checked", "true")

    area.locator('.ls-label[data-control="ner"][data-value="PER"]').click()
    box = page.evaluate(
        """() => {
            const el = document.querySelector('#labeling .ls-text');
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                const i = n.data.indexOf('Alice');
                if (i < 0) continue;
                const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 5);
                const b = r.getBoundingClientRect(); return {x: b.x, y: b.y, w: b.width, h: b.height};
            }
        }"""
    )
    page.mouse.move(box["x"] + 1, box["y"] + box["h"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["w"] - 1, box["y"] + box["h"] / 2, steps=5)
    page.mouse.up()
    # the untrained example model answers the first choice for the text, alongside the seed span
    expect(positive).to_have_attribute("aria-checked", "true")
    submit(page, task)
    result = {r["type"]: r for r in completion_of(task, users["ann1"]).result}
    assert result["choices"]["value"]["choices"] == ["Positive"]
    assert result["choices"]["origin"] == "prediction"
    assert (result["labels"]["value"]["start"], result["labels"]["value"]["end"]) == (0, 5)
