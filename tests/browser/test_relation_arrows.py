"""Relations drawn as arrows in real Chromium: between boxes on an image, between text spans and
across objects; direction and labels show on the arrow, and a relation made in the UI is drawn."""

import json

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, shoot
from tests.browser.helpers import labeling_project, reopen_and_expect_completion
from tests.tasks.exporters.conftest import run_export

pytestmark = [pytest.mark.browser, pytest.mark.live]

CONFIG = """<View>
  <Relations><Relation value="near"/><Relation value="describes"/></Relations>
  <Labels name="ner" toName="text"><Label value="Thing"/></Labels>
  <Text name="text" value="$text"/>
  <RectangleLabels name="box" toName="image"><Label value="Cat"/></RectangleLabels>
  <Image name="image" value="$image"/>
</View>"""

TEXT = "The cat sat on the mat near the door."


def _rect(rid, x):
    return {"id": rid, "from_name": "box", "to_name": "image", "type": "rectanglelabels", "original_width": 640,
            "original_height": 400, "value": {"x": x, "y": 30, "width": 15, "height": 20, "rotation": 0, "rectanglelabels": ["Cat"]}}  # fmt: skip


def _span(rid, start, end):
    return {"id": rid, "from_name": "ner", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": TEXT[start:end], "labels": ["Thing"]}}  # fmt: skip


RESULT = [
    _rect("b1", 10), _rect("b2", 60), _span("t1", 4, 7), _span("t2", 19, 22),
    {"from_id": "b1", "to_id": "b2", "type": "relation", "direction": "right", "labels": ["near"]},
    {"from_id": "t1", "to_id": "b1", "type": "relation", "direction": "bi", "labels": []},
]  # fmt: skip


def test_relation_arrows_drawn_with_direction_and_labels(page, live_server, users, media):
    from annotators.services import completion_create

    project, (task,) = labeling_project(users, CONFIG, [{"text": TEXT, "image": f"{media.url}/sample.png"}])
    completion_create(task=task, user=users["ann1"], result=RESULT)
    login(page, live_server, users["ann1"])
    area = reopen_and_expect_completion(page, live_server, project, task)
    area.locator(".ls-image-img").evaluate("img => img.complete || new Promise(r => img.addEventListener('load', r))")
    arrows = area.locator(".ls-relation-arrow")
    expect(arrows).to_have_count(2)
    boxes = area.locator('.ls-relation-arrow[data-from="b1"][data-to="b2"]')
    expect(boxes).to_have_attribute("data-direction", "right")
    expect(boxes.locator(".ls-arrow-label")).to_have_text("near")
    line = boxes.locator(".ls-arrow-line")
    assert line.get_attribute("marker-end") and not line.get_attribute("marker-start")
    # the arrow runs from box b1 to box b2: it starts left of where it ends, both within the image
    d = line.get_attribute("d")
    start, end = d.split(" ")[0][1:].split(","), d.split(" ")[-1].split(",")
    image = area.locator(".ls-image-svg").bounding_box()
    layer = area.locator(".ls-relation-arrows").bounding_box()
    x0, x1 = float(start[0]) + layer["x"], float(end[0]) + layer["x"]
    assert image["x"] < x0 < x1 < image["x"] + image["width"], (x0, x1, image)
    cross = area.locator('.ls-relation-arrow[data-from="t1"][data-to="b1"] .ls-arrow-line')
    assert cross.get_attribute("marker-end") and cross.get_attribute("marker-start")

    # a new relation between the two text spans, made in the regions panel, is drawn at once
    area.locator('.ls-region-item[data-id="t1"] .ls-region-link').click()
    area.locator('.ls-region-item[data-id="t2"]').click()
    expect(arrows).to_have_count(3)
    new = area.locator('.ls-relation-item[data-from="t1"][data-to="t2"]')
    new.locator(".ls-relation-label").select_option("describes")
    new.locator(".ls-relation-direction").click()  # right -> left
    made = area.locator('.ls-relation-arrow[data-from="t1"][data-to="t2"]')
    expect(made.locator(".ls-arrow-label")).to_have_text("describes")
    expect(made).to_have_attribute("data-direction", "left")
    assert made.locator(".ls-arrow-line").get_attribute("marker-start")
    shoot(page, "label-relation-arrows")
    area.locator(".ls-update").click()
    expect(page.locator("#stream-message")).to_contain_text("updated")

    (exported,) = json.loads(run_export(project, "JSON")["result.json"])
    rels = [r for r in exported["annotations"][0]["result"] if r["type"] == "relation"]
    assert {"from_id": "t1", "to_id": "t2", "type": "relation", "direction": "left", "labels": ["describes"]} in rels
