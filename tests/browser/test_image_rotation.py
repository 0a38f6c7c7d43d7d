"""Image rotation in real Chromium (`rotateControl`): the view turns 90°, a box drawn on the turned
view is stored in the image's own coordinates (Label Studio's rule) with `image_rotation`, and is
drawn where the user dragged."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, shoot
from tests.browser.helpers import completion_of, drag, labeling_project, open_stream, submit

pytestmark = [pytest.mark.browser, pytest.mark.live]

CONFIG = """<View>
  <Image name="image" value="$image" rotateControl="true"/>
  <RectangleLabels name="box" toName="image"><Label value="Cat"/></RectangleLabels>
</View>"""


def test_rotate_right_then_draw(page, live_server, users, media):
    project, (task,) = labeling_project(users, CONFIG, [{"image": f"{media.url}/sample.png"}])  # 640x400
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    area.locator(".ls-image-img").evaluate("img => img.complete || new Promise(r => img.addEventListener('load', r))")
    svg = area.locator(".ls-image-svg")
    before = svg.bounding_box()
    area.locator(".ls-rotate-right").click()
    expect(area.locator(".ls-image")).to_have_attribute("data-rotation", "90")
    turned = svg.bounding_box()
    assert turned["height"] > turned["width"] and before["width"] > before["height"], (before, turned)
    area.locator('.ls-label[data-control="box"][data-value="Cat"]').click()
    drag(page, svg, (0.1, 0.1), (0.3, 0.3))
    expect(area.locator(".ls-region-item")).to_have_count(1)
    # drawn where dragged: the shape's box on screen is the dragged box
    shape = area.locator(".ls-shape .ls-shape-body").bounding_box()
    turned = svg.bounding_box()  # measured again: clicking the label may have scrolled the page
    for got, want in (
        (shape["x"], turned["x"] + 0.1 * turned["width"]),
        (shape["y"], turned["y"] + 0.1 * turned["height"]),
        (shape["width"], 0.2 * turned["width"]),
        (shape["height"], 0.2 * turned["height"]),
    ):
        assert abs(got - want) < 4, (shape, turned)
    shoot(page, "label-image-rotated")
    submit(page, task)
    (item,) = completion_of(task, users["ann1"]).result
    assert item["image_rotation"] == 90 and (item["original_width"], item["original_height"]) == (640, 400)
    v = item["value"]
    # turned clockwise: screen left-to-right is image bottom-to-top, screen top-to-bottom is image left-to-right
    assert abs(v["x"] - 10) < 1.5 and abs(v["width"] - 20) < 1.5, v
    assert abs(v["y"] - 70) < 1.5 and abs(v["height"] - 20) < 1.5, v
