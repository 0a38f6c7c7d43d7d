"""Image `defaultZoom` and `crosshair` in real Chromium: "original" shows one image pixel per screen
pixel (zoomed in from the fitted view, pannable), "auto" fits a big image but never blows a small one up, "fit" fills the width,
and crosshair lines follow the pointer over the image."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, make_png
from tests.browser.helpers import labeling_project, open_stream

pytestmark = [pytest.mark.browser, pytest.mark.live]

CONFIG = """<View>
  <Image name="big" value="$big" defaultZoom="original" crosshair="true"/>
  <Image name="small" value="$small" defaultZoom="auto"/>
  <Image name="plain" value="$small"/>
  <Image name="fitted" value="$small" defaultZoom="fit"/>
  <RectangleLabels name="box" toName="big"><Label value="Thing"/></RectangleLabels>
</View>"""


def _stage_width(area, name):
    return area.locator(f'.ls-image[data-name="{name}"] .ls-image-stage').evaluate(
        "e => e.getBoundingClientRect().width"
    )


def test_default_zoom_and_crosshair(page, live_server, users, media):
    make_png(media.path / "big.png", 2400, 1500)
    make_png(media.path / "small.png", 160, 100)
    data = {"big": f"{media.url}/big.png", "small": f"{media.url}/small.png"}
    project, _ = labeling_project(users, CONFIG, [data])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    viewport = area.locator('.ls-image[data-name="big"] .ls-image-viewport')
    expect(viewport).to_be_visible()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.ls-image-img')].every(i => i.complete && i.naturalWidth)"
    )
    assert viewport.evaluate("e => e.clientWidth") < 2400  # the page is narrower than the image
    assert abs(_stage_width(area, "big") - 2400) < 2  # original: natural size
    assert abs(_stage_width(area, "small") - 160) < 1  # auto: not blown up
    assert abs(_stage_width(area, "plain") - 160) < 1  # no defaultZoom: as before, not blown up either
    assert _stage_width(area, "fitted") > 300  # fit: as wide as the view
    # crosshair
    lines = area.locator('.ls-image[data-name="big"] .ls-crosshair')
    expect(lines).to_have_count(2)
    expect(lines.first).to_be_hidden()
    box = viewport.bounding_box()
    page.mouse.move(box["x"] + 120, box["y"] + 80)
    expect(lines.first).to_be_visible()
    assert area.locator(".ls-crosshair-h").evaluate("e => e.style.top") == "80px"
    assert area.locator(".ls-crosshair-v").evaluate("e => e.style.left") == "120px"
    assert area.locator('.ls-image[data-name="small"] .ls-crosshair').count() == 0
