"""Documents in real Chromium: a <Pdf> rendered by the vendored pdf.js, paged and zoomed, with a box
drawn on page 2 and a document-level choice; and an <Image valueList> pager whose regions carry
item_index."""

import json

import pytest
from playwright.sync_api import expect

from projects.label_config import parse
from projects.label_config.results import validate_result
from tests.browser.conftest import login, shoot
from tests.browser.helpers import drag, labeling_project, open_stream, submit
from tests.tasks.exporters.conftest import run_export

pytestmark = [pytest.mark.browser, pytest.mark.live]

PDF = """<View>
  <Choices name="kind" toName="pdf" showInline="true"><Choice value="Invoice"/><Choice value="Letter"/></Choices>
  <OcrLabels name="ocr" toName="pdf"><Label value="Typo"/><Label value="Amount"/></OcrLabels>
  <Pdf name="pdf" value="$pdf"/>
</View>"""

GALLERY = """<View>
  <Image name="image" valueList="$images"/>
  <RectangleLabels name="box" toName="image"><Label value="Cat"/></RectangleLabels>
</View>"""


def _wait_image(area):
    area.locator(".ls-image-img").evaluate(
        "img => (img.complete && img.naturalWidth) || new Promise(r => img.addEventListener('load', r, { once: true }))"
    )


def test_pdf_navigate_zoom_and_box_on_page_two(page, live_server, users):
    project, (task,) = labeling_project(users, PDF, [{"pdf": "/static/samples/sample.pdf"}])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    pdf = area.locator('.ls-pdf[data-name="pdf"]')
    expect(pdf).to_have_attribute("data-pages", "2")
    expect(pdf.locator(".ls-pager-label")).to_have_text("1 / 2")
    _wait_image(area)
    first = area.locator(".ls-image-img").get_attribute("src")
    assert first.startswith("blob:")
    pdf.locator(".ls-page-next").click()
    expect(pdf.locator(".ls-pager-label")).to_have_text("2 / 2")
    expect(pdf).to_have_attribute("data-page", "1")
    expect(area.locator(".ls-image-img")).not_to_have_attribute("src", first)
    _wait_image(area)
    # the page is drawn: its pixels are not blank (page 2 is orange-ish: more red than blue)
    red_blue = area.locator(".ls-image-img").evaluate(
        """img => { const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;
        const x = c.getContext('2d'); x.drawImage(img, 0, 0); const d = x.getImageData(c.width / 4, c.height / 4, 1, 1).data;
        return [d[0], d[2]]; }"""
    )
    assert red_blue[0] > red_blue[1] + 20, red_blue
    pdf.locator(".ls-zoom-in").click()
    assert "scale(1.25)" in area.locator(".ls-image-stage").get_attribute("style")
    pdf.locator(".ls-zoom-reset").click()

    area.locator('.ls-choice:has-text("Invoice")').click()
    area.locator('.ls-label[data-control="ocr"][data-value="Typo"]').click()
    drag(page, area.locator(".ls-image-svg"), (0.2, 0.2), (0.6, 0.5))
    expect(area.locator(".ls-region-item")).to_have_count(1)
    # the box belongs to page 2: hidden on page 1, back on page 2
    pdf.locator(".ls-page-prev").click()
    expect(pdf.locator(".ls-pager-label")).to_have_text("1 / 2")
    expect(area.locator(".ls-shape")).to_have_count(0)
    # picking the region in the list shows its page
    area.locator(".ls-region-item").click()
    expect(pdf.locator(".ls-pager-label")).to_have_text("2 / 2")
    expect(area.locator(".ls-shape.ls-selected")).to_have_count(1)
    page.keyboard.press("Escape")
    shoot(page, "label-pdf")
    submit(page, task)

    (line,) = json.loads(run_export(project, "JSON")["result.json"])
    result = line["annotations"][0]["result"]
    assert validate_result(parse(PDF), result) == []
    (box,) = [r for r in result if r["type"] == "ocrlabels"]
    assert box["value"]["pageIndex"] == 1 and box["value"]["ocrlabels"] == ["Typo"]
    assert 15 < box["value"]["x"] < 25 and 25 < box["value"]["width"] < 55
    (kind,) = [r for r in result if r["type"] == "choices"]
    assert kind["value"]["choices"] == ["Invoice"] and kind["to_name"] == "pdf"


def test_image_value_list_pager_regions_carry_item_index(page, live_server, users, media):
    images = [f"{media.url}/sample.png", f"{media.url}/sample.png", f"{media.url}/sample.png"]
    project, (task,) = labeling_project(users, GALLERY, [{"images": images}])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    image = area.locator('.ls-image[data-name="image"]')
    expect(image.locator(".ls-pager-label")).to_have_text("1 / 3")
    _wait_image(area)
    area.locator('.ls-label[data-control="box"][data-value="Cat"]').click()
    drag(page, area.locator(".ls-image-svg"), (0.1, 0.1), (0.3, 0.3))
    image.locator(".ls-page-next").click()
    image.locator(".ls-page-next").click()
    expect(image.locator(".ls-pager-label")).to_have_text("3 / 3")
    expect(area.locator(".ls-shape")).to_have_count(0)
    _wait_image(area)
    drag(page, area.locator(".ls-image-svg"), (0.5, 0.5), (0.8, 0.8))
    expect(area.locator(".ls-shape")).to_have_count(1)
    expect(area.locator(".ls-region-item")).to_have_count(2)
    submit(page, task)

    (line,) = json.loads(run_export(project, "JSON")["result.json"])
    result = line["annotations"][0]["result"]
    assert validate_result(parse(GALLERY), result) == []
    assert sorted(r["item_index"] for r in result) == [0, 2]
