"""MagicWand in real Chromium: a click on a colour area of the image fills it as a brush mask
(Label Studio's RLE), dragging farther raises the threshold while the fill follows, and the
masks are exported as ordinary BrushLabels results that validate against the config."""

import json

import numpy as np
import pytest
from label_studio_sdk.converter.brush import decode_rle as their_decode
from playwright.sync_api import expect

from projects.label_config import parse
from tests.browser.conftest import login, shoot
from tests.browser.helpers import labeling_project, open_stream, submit
from tests.tasks.exporters.conftest import run_export

pytestmark = [pytest.mark.browser, pytest.mark.live]

WAND = """<View>
  <Image name="image" value="$image" crossOrigin="anonymous"/>
  <BrushLabels name="paint" toName="image">
    <Label value="Sky" background="#2563eb"/><Label value="Tree" background="#16a34a"/>
  </BrushLabels>
  <MagicWand name="wand" toName="image" defaultThreshold="15"/>
</View>"""


def _at(svg, x: float, y: float) -> tuple[float, float]:
    """The screen point over image pixel (x, y) of the 640x400 sample."""
    box = svg.bounding_box()
    return box["x"] + box["width"] * (x + 0.5) / 640, box["y"] + box["height"] * (y + 0.5) / 400


def test_wand_fills_a_colour_area_and_the_drag_raises_the_threshold(page, live_server, users, media):
    # sample.png (conftest.make_png): background (226,232,240), a blue box [60..300]x[60..260],
    # an orange ellipse and a green triangle
    project, (task,) = labeling_project(users, WAND, [{"image": f"{media.url}/sample.png"}])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    area.locator(".ls-image-img").evaluate("img => img.complete || new Promise(r => img.addEventListener('load', r))")
    svg = area.locator(".ls-image-svg")
    expect(svg).to_have_attribute("viewBox", "0 0 640 400")
    area.locator('.ls-label[data-control="paint"][data-value="Sky"]').click()
    area.locator(".ls-magicwand").click()
    expect(area.locator(".ls-magicwand")).to_have_class("ls-btn ls-magicwand ls-selected")
    expect(area.locator(".ls-magicwand-threshold")).to_have_text("15")

    # a click in the blue box: the box exactly, at the default threshold
    page.mouse.click(*_at(svg, 150, 150))
    expect(area.locator(".ls-region-item")).to_have_count(1)
    expect(area.locator(".ls-magicwand-error")).to_have_text("")

    page.keyboard.press("Escape")  # deselect the new region: the next label is for a new one
    # another label, pressed on the background and dragged 300 px: threshold 15 + 300 / 2
    area.locator('.ls-label[data-control="paint"][data-value="Tree"]').click()
    x0, y0 = _at(svg, 20, 20)
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x0 + 300, y0, steps=10)
    expect(area.locator(".ls-magicwand-threshold")).to_have_text("165")
    page.mouse.up()
    expect(area.locator(".ls-region-item")).to_have_count(2)
    shoot(page, "label-magic-wand")
    submit(page, task)

    (line,) = json.loads(run_export(project, "JSON")["result.json"])
    result = line["annotations"][0]["result"]
    assert parse(WAND).validate_result(result, line["data"]) == []
    masks = {}
    for item in result:
        assert item["type"] == "brushlabels" and item["from_name"] == "paint" and item["value"]["format"] == "rle"
        assert (item["original_width"], item["original_height"]) == (640, 400)
        masks[item["value"]["brushlabels"][0]] = their_decode(item["value"]["rle"]).reshape(400, 640, 4)[:, :, 3]
    sky, tree = masks["Sky"], masks["Tree"]
    box = np.zeros((400, 640), dtype=bool)
    box[60:261, 60:301] = True
    assert set(np.unique(sky)) == {0, 255}
    assert np.array_equal(sky == 255, box)  # the blue box, every pixel of it and nothing else
    # at 165 the fill from the background takes the box too (colours 130 apart) and the ellipse
    # (160 apart), not the green triangle (174 apart)
    assert tree[20, 20] == 255 and tree[390, 630] == 255 and tree[150, 150] == 255 and tree[220, 460] == 255
    assert tree[350, 220] == 0
    assert page.js_errors == [] or all("Failed to load resource" in e for e in page.js_errors)


def test_wand_on_an_image_it_cannot_read_says_why(page, live_server, users, media):
    config = WAND.replace(' crossOrigin="anonymous"', "")  # another origin's pixels are not readable
    project, (task,) = labeling_project(users, config, [{"image": f"{media.url}/sample.png"}])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    area.locator(".ls-image-img").evaluate("img => img.complete || new Promise(r => img.addEventListener('load', r))")
    svg = area.locator(".ls-image-svg")
    expect(svg).to_have_attribute("viewBox", "0 0 640 400")
    area.locator('.ls-label[data-control="paint"][data-value="Sky"]').click()
    area.locator(".ls-magicwand").click()
    page.mouse.click(*_at(svg, 150, 150))
    expect(area.locator(".ls-magicwand-error")).to_contain_text('crossOrigin="anonymous"')
    expect(area.locator(".ls-region-item")).to_have_count(0)
