"""Brush masks in real Chromium: paint and erase, undo/redo a stroke, submit, and read the exported mask."""

import json

import numpy as np
import pytest
from label_studio_sdk.converter.brush import decode_rle as their_decode
from playwright.sync_api import expect

from tests.browser.conftest import login, shoot
from tests.browser.helpers import (
    completion_of,
    drag,
    labeling_project,
    open_stream,
    reopen_and_expect_completion,
    submit,
)
from tests.tasks.exporters.conftest import run_export

pytestmark = [pytest.mark.browser, pytest.mark.live]

BRUSH = """<View>
  <Image name="image" value="$image"/>
  <BrushLabels name="paint" toName="image">
    <Label value="Sky" background="#2563eb"/><Label value="Tree" background="#16a34a"/>
  </BrushLabels>
</View>"""

LAYER_ALPHA = """(c, [x, y]) => c.getContext('2d').getImageData(x, y, 1, 1).data[3]"""


def test_paint_erase_undo_submit_and_export(page, live_server, users, media):
    project, (task,) = labeling_project(users, BRUSH, [{"image": f"{media.url}/sample.png"}])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    area.locator(".ls-image-img").evaluate("img => img.complete || new Promise(r => img.addEventListener('load', r))")
    svg = area.locator(".ls-image-svg")
    expect(svg).to_have_attribute("viewBox", "0 0 640 400")
    area.locator('.ls-label[data-control="paint"][data-value="Sky"]').click()
    area.locator(".ls-brush-size").fill("40")
    # a horizontal stroke at y=200 from x=64 to x=384, 40 px wide
    drag(page, svg, (0.1, 0.5), (0.6, 0.5), steps=12)
    expect(area.locator(".ls-region-item")).to_have_count(1)
    layer = area.locator(".ls-brush-layer")
    assert layer.evaluate(LAYER_ALPHA, [200, 200]) > 0
    # erase a 20 px wide vertical band through x=192
    area.locator(".ls-brush-erase").click()
    area.locator(".ls-brush-size").fill("20")
    drag(page, svg, (0.3, 0.3), (0.3, 0.7), steps=12)
    assert layer.evaluate(LAYER_ALPHA, [192, 200]) == 0
    # the erase stroke is one undo step
    area.locator(".ls-undo").click()
    assert layer.evaluate(LAYER_ALPHA, [192, 200]) > 0
    area.locator(".ls-redo").click()
    assert layer.evaluate(LAYER_ALPHA, [192, 200]) == 0
    shoot(page, "label-brush")
    submit(page, task)

    (line,) = json.loads(run_export(project, "JSON")["result.json"])
    (item,) = line["annotations"][0]["result"]
    assert item["type"] == "brushlabels" and item["value"]["brushlabels"] == ["Sky"]
    assert item["value"]["format"] == "rle"
    assert (item["original_width"], item["original_height"]) == (640, 400)
    rgba = their_decode(item["value"]["rle"]).reshape(400, 640, 4)
    alpha = rgba[:, :, 3]
    assert set(np.unique(rgba)) <= {0, 255}
    for x, y in ((80, 200), (150, 190), (250, 210), (370, 200)):
        assert alpha[y, x] == 255, (x, y)
    for x, y in ((192, 200), (188, 185), (196, 215), (40, 200), (420, 200), (200, 150), (200, 250)):
        assert alpha[y, x] == 0, (x, y)

    area = reopen_and_expect_completion(page, live_server, project, task)
    layer = area.locator(".ls-brush-layer")
    area.locator(".ls-image-img").evaluate("img => img.complete || new Promise(r => img.addEventListener('load', r))")
    expect(layer).to_have_attribute("width", "640")
    assert layer.evaluate(LAYER_ALPHA, [100, 200]) > 0
    assert layer.evaluate(LAYER_ALPHA, [192, 200]) == 0


def test_mask_made_by_label_studio_is_shown_and_kept(page, live_server, users, media):
    """A prediction whose RLE is Label Studio's own (converter's mask2rle) shows where its pixels are;
    submitted unchanged, the RLE comes back byte for byte."""
    from label_studio_sdk.converter.brush import mask2rle

    from ml_backends.models import Prediction

    mask = np.zeros((400, 640), np.uint8)
    mask[50:150, 400:600] = 255
    rle = mask2rle(mask)
    project, (task,) = labeling_project(users, BRUSH, [{"image": f"{media.url}/sample.png"}])
    result = [{"id": "lsmask1", "from_name": "paint", "to_name": "image", "type": "brushlabels",
               "original_width": 640, "original_height": 400, "image_rotation": 0,
               "value": {"format": "rle", "rle": rle, "brushlabels": ["Tree"]}}]  # fmt: skip
    Prediction.objects.create(task=task, project=project, result=result)
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    area.locator(".ls-image-img").evaluate("img => img.complete || new Promise(r => img.addEventListener('load', r))")
    layer = area.locator(".ls-brush-layer")
    expect(layer).to_have_attribute("width", "640")
    expect(area.locator(".ls-region-item")).to_have_count(1)
    assert layer.evaluate(LAYER_ALPHA, [500, 100]) > 0
    assert layer.evaluate(LAYER_ALPHA, [300, 100]) == 0 and layer.evaluate(LAYER_ALPHA, [500, 200]) == 0
    submit(page, task)
    (item,) = completion_of(task, users["ann1"]).result
    assert item["value"]["rle"] == rle and item["value"]["brushlabels"] == ["Tree"]


def test_painting_while_zoomed_lands_on_the_image_pixel_under_the_cursor(page, live_server, users, media):
    project, (task,) = labeling_project(users, BRUSH, [{"image": f"{media.url}/sample.png"}])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    area.locator(".ls-image-img").evaluate("img => img.complete || new Promise(r => img.addEventListener('load', r))")
    svg = area.locator(".ls-image-svg")
    expect(svg).to_have_attribute("viewBox", "0 0 640 400")
    layer = area.locator(".ls-brush-layer")
    # the image point under the viewport's centre stays there while zooming in (+ zooms about it)
    target = svg.evaluate(
        """(svg) => { const v = svg.closest('.ls-image-viewport').getBoundingClientRect(), r = svg.getBoundingClientRect();
                      return [Math.round((v.left + v.width / 2 - r.left) * 640 / r.width),
                              Math.round((v.top + v.height / 2 - r.top) * 400 / r.height)]; }"""
    )
    for _ in range(3):
        area.locator(".ls-zoom-in").click()
    area.locator('.ls-label[data-control="paint"][data-value="Tree"]').click()
    area.locator(".ls-brush-size").fill("10")
    area.locator(".ls-brush-size").blur()  # hotkeys are off while an input has the focus
    page.keyboard.press("]")
    expect(area.locator(".ls-brush-size-value")).to_have_text("13")
    page.keyboard.press("[")
    expect(area.locator(".ls-brush-size-value")).to_have_text("10")
    box = area.locator(".ls-image-viewport").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(area.locator(".ls-region-item")).to_have_count(1)
    x, y = target
    assert layer.evaluate(LAYER_ALPHA, [x, y]) > 0
    assert layer.evaluate(LAYER_ALPHA, [x + 8, y]) == 0 and layer.evaluate(LAYER_ALPHA, [x, y - 8]) == 0
    submit(page, task)
    (item,) = completion_of(task, users["ann1"]).result
    alpha = their_decode(item["value"]["rle"]).reshape(400, 640, 4)[:, :, 3]
    ys, xs = alpha.nonzero()
    assert abs(xs.mean() - x) <= 1.5 and abs(ys.mean() - y) <= 1.5
    assert 60 <= len(xs) <= 100  # a disc of 10 image pixels (not 10 screen pixels at 1.95x)
