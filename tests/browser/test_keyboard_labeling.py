"""Keyboard-first labeling (issue 11): "press 1, draw the car, press 2, draw the person, press 3, draw
the sign" labels each region with the key pressed BEFORE it, for every region type; the labels are
checked in the project's JSON export (through the API), not only on the page. Also: a double press of
a label key keeps the label, a drag with no active label says why nothing was drawn, and a selected
region is relabeled only after the user clicked it (visibly)."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, shoot
from tests.browser.helpers import click_at, drag, labeling_project, open_stream, submit

pytestmark = [pytest.mark.browser, pytest.mark.live]

LABELS = ("Car", "Person", "Sign")


def _config(palette: str, obj: str) -> str:
    labels = "".join(f'<Label value="{v}"/>' for v in LABELS)
    return f'<View>{obj}<{palette} name="label" toName="obj">{labels}</{palette}></View>'


IMAGE = '<Image name="obj" value="$image"/>'


def exported_result(project, manager) -> list[dict]:
    """The result of the one annotation in the project's JSON export (GET .../export?exportType=JSON)."""
    from django.test import Client

    client = Client()
    client.force_login(manager)
    response = client.get(f"/api/projects/{project.pk}/export?exportType=JSON")
    assert response.status_code == 200, response
    body = b"".join(response.streaming_content) if response.streaming else response.content
    (task,) = json.loads(body)
    (annotation,) = task["annotations"]
    return annotation["result"]


def labels_by(result, key) -> list[str]:
    """The exported labels, ordered by ``key(value)`` (the regions' positions on the page)."""
    items = sorted((r for r in result if r["type"] != "relation"), key=lambda r: key(r["value"]))
    return [next(v for k, v in r["value"].items() if k.endswith("labels"))[0] for r in items]


def _image_ready(area):
    area.locator(".ls-image-img").evaluate("img => img.complete || new Promise(r => img.addEventListener('load', r))")
    expect(area.locator(".ls-image-svg")).to_be_visible()


def _status(area):
    return area.locator(".ls-status")


# three places on the image, left to right, that do not overlap
BOX_SPOTS = (((0.05, 0.2), (0.25, 0.6)), ((0.38, 0.2), (0.58, 0.6)), ((0.7, 0.2), (0.92, 0.6)))


def _draw_box(page, svg, spot):
    drag(page, svg, *spot)


def _draw_polygon(page, svg, spot):
    (x0, y0), (x1, y1) = spot
    for fx, fy in ((x0, y0), (x1, y0), (x1, y1), (x0, y1)):
        click_at(page, svg, fx, fy)
    click_at(page, svg, x0, y0)  # back on the first point closes it


def _draw_keypoint(page, svg, spot):
    (x0, y0), (x1, y1) = spot
    click_at(page, svg, (x0 + x1) / 2, (y0 + y1) / 2)


def _draw_ellipse(page, svg, spot):
    (x0, y0), (x1, y1) = spot
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    drag(page, svg, (cx, cy), (x1, y1))


IMAGE_KINDS = {
    "rectangle": ("RectangleLabels", _draw_box, lambda v: v["x"]),
    "polygon": ("PolygonLabels", _draw_polygon, lambda v: v["points"][0][0]),
    "keypoint": ("KeyPointLabels", _draw_keypoint, lambda v: v["x"]),
    "ellipse": ("EllipseLabels", _draw_ellipse, lambda v: v["x"]),
}


@pytest.mark.parametrize("kind", list(IMAGE_KINDS))
def test_press_key_then_draw_labels_each_image_region(kind, page, live_server, users, media):
    palette, draw, position = IMAGE_KINDS[kind]
    project, (task,) = labeling_project(users, _config(palette, IMAGE), [{"image": f"{media.url}/sample.png"}])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    _image_ready(area)
    svg = area.locator(".ls-image-svg")
    expect(_status(area)).to_contain_text("No active label")
    for n, (label, spot) in enumerate(zip(LABELS, BOX_SPOTS, strict=True), start=1):
        page.keyboard.press(str(n))
        expect(_status(area)).to_have_text(f"Active label: {label}")
        draw(page, svg, spot)
        expect(area.locator(".ls-image-svg .ls-shape")).to_have_count(n)
        # the region just drawn is not selected: the next label key cannot relabel it
        expect(area.locator(".ls-image-svg .ls-shape.ls-selected")).to_have_count(0)
    if kind == "rectangle":
        shoot(page, "label-keyboard-boxes")
    submit(page, task)
    assert labels_by(exported_result(project, users["manager"]), position) == list(LABELS)


def _select_text(page, container: str, word: str):
    """Select ``word`` inside ``container`` with the mouse: press before it, release after it."""
    box = page.evaluate(
        """([sel, word]) => {
            const el = document.querySelector(sel);
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                const i = n.data.indexOf(word);
                if (i < 0) continue;
                const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + word.length);
                const b = r.getBoundingClientRect(); return {x: b.x, y: b.y, w: b.width, h: b.height};
            }
            return null;
        }""",
        [container, word],
    )
    assert box, f"{word!r} not found in {container}"
    page.mouse.move(box["x"] + 1, box["y"] + box["h"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["w"] - 1, box["y"] + box["h"] / 2, steps=5)
    page.mouse.up()


TEXT = "The car passed the person near the sign."
WORDS = ("car", "person", "sign")
SPAN_KINDS = {
    "text": ("Labels", '<Text name="obj" value="$text"/>', ".ls-text", {"text": TEXT}, lambda v: v["start"]),
    "hypertext": (
        "HyperTextLabels",
        '<HyperText name="obj" value="$html"/>',
        ".ls-hypertext",
        {"html": f"<p>{TEXT}</p>"},
        lambda v: v["globalOffsets"]["start"],
    ),
    "paragraphs": (
        "ParagraphLabels",
        '<Paragraphs name="obj" value="$dialogue" layout="dialogue"/>',
        ".ls-paragraphs",
        {"dialogue": [{"author": "A", "text": "The car passed"}, {"author": "B", "text": "the person near the sign."}]},
        lambda v: (int(v["start"]), v["startOffset"]),
    ),
}


@pytest.mark.parametrize("kind", list(SPAN_KINDS))
def test_press_key_then_select_labels_each_span(kind, page, live_server, users):
    palette, obj, container, data, position = SPAN_KINDS[kind]
    project, (task,) = labeling_project(users, _config(palette, obj), [data])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    for n, (label, word) in enumerate(zip(LABELS, WORDS, strict=True), start=1):
        page.keyboard.press(str(n))
        expect(_status(area)).to_have_text(f"Active label: {label}")
        _select_text(page, f"#labeling {container}", word)
        expect(area.locator(f"{container} .ls-region[data-label]")).to_have_count(n)
        expect(area.locator(f"{container} .ls-region.ls-selected")).to_have_count(0)
    if kind == "text":
        shoot(page, "label-keyboard-ner")
    submit(page, task)
    result = exported_result(project, users["manager"])
    assert labels_by(result, position) == list(LABELS)
    assert sorted(r["value"]["text"] for r in result) == sorted(WORDS)


def test_press_key_then_drag_labels_each_audio_segment(page, live_server, users, media):
    project, (task,) = labeling_project(
        users, _config("Labels", '<Audio name="obj" value="$audio"/>'), [{"audio": f"{media.url}/sample.wav"}]
    )
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    expect(area.locator(".ls-audio-time")).not_to_have_text("0:00 / 0:00")  # duration known
    track = area.locator(".ls-audio-track")
    for n, (label, (x0, x1)) in enumerate(zip(LABELS, ((0.05, 0.25), (0.4, 0.6), (0.75, 0.95)), strict=True), start=1):
        page.keyboard.press(str(n))
        expect(_status(area)).to_have_text(f"Active label: {label}")
        drag(page, track, (x0, 0.5), (x1, 0.5))
        expect(area.locator(".ls-audio-segment.ls-region")).to_have_count(n)
        expect(area.locator(".ls-audio-segment.ls-selected")).to_have_count(0)
    submit(page, task)
    assert labels_by(exported_result(project, users["manager"]), lambda v: v["start"]) == list(LABELS)


def test_double_press_keeps_the_label_and_no_label_says_why(page, live_server, users, media):
    project, (task,) = labeling_project(
        users, _config("RectangleLabels", IMAGE), [{"image": f"{media.url}/sample.png"}]
    )
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    _image_ready(area)
    svg = area.locator(".ls-image-svg")
    page.keyboard.press("2")
    page.keyboard.press("2")  # a second press keeps Person active, it does not switch it off
    expect(_status(area)).to_have_text("Active label: Person")
    expect(area.locator('.ls-label[data-value="Person"]')).to_have_class("ls-label ls-selected")
    _draw_box(page, svg, BOX_SPOTS[0])
    expect(area.locator(".ls-image-svg .ls-shape")).to_have_count(1)
    # Escape clears the active label: the status line says so, and a drag says why nothing appeared
    page.keyboard.press("Escape")
    expect(_status(area)).to_contain_text("No active label: press 1–3")
    _draw_box(page, svg, BOX_SPOTS[1])
    expect(_status(area)).to_contain_text("Nothing was created: no active label")
    expect(area.locator(".ls-image-svg .ls-shape")).to_have_count(1)
    submit(page, task)
    assert labels_by(exported_result(project, users["manager"]), lambda v: v["x"]) == ["Person"]


def test_double_press_on_text_keeps_the_label(page, live_server, users):
    project, (task,) = labeling_project(users, _config("Labels", '<Text name="obj" value="$text"/>'), [{"text": TEXT}])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    page.keyboard.press("1")
    page.keyboard.press("1")
    _select_text(page, "#labeling .ls-text", "car")
    expect(area.locator(".ls-text .ls-region[data-label]")).to_have_count(1)
    page.keyboard.press("Escape")
    _select_text(page, "#labeling .ls-text", "sign")  # no active label: nothing, and the reason is shown
    expect(_status(area)).to_contain_text("Nothing was created")
    expect(area.locator(".ls-text .ls-region[data-label]")).to_have_count(1)
    submit(page, task)
    assert labels_by(exported_result(project, users["manager"]), lambda v: v["start"]) == ["Car"]


def test_relabel_only_an_explicitly_selected_region(page, live_server, users, media):
    project, (task,) = labeling_project(
        users, _config("RectangleLabels", IMAGE), [{"image": f"{media.url}/sample.png"}]
    )
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    _image_ready(area)
    svg = area.locator(".ls-image-svg")
    for n, spot in enumerate(BOX_SPOTS[:2], start=1):
        page.keyboard.press(str(n))
        _draw_box(page, svg, spot)
    shapes = area.locator(".ls-image-svg .ls-shape")
    expect(shapes).to_have_count(2)
    # click the first box: it is highlighted and the status line says keys relabel it
    (x0, y0), (x1, y1) = BOX_SPOTS[0]
    click_at(page, svg, (x0 + x1) / 2, (y0 + y1) / 2)
    first = area.locator(".ls-image-svg .ls-shape.ls-selected")
    expect(first).to_have_count(1)
    expect(first.locator(".ls-shape-label")).to_have_text("Car")
    expect(_status(area)).to_contain_text("Selected region: Car. Label keys relabel it")
    page.keyboard.press("3")
    expect(first.locator(".ls-shape-label")).to_have_text("Sign")
    expect(area.locator(".ls-region-item.ls-selected .ls-region-labels")).to_have_text("Sign")
    shoot(page, "label-keyboard-relabel")
    page.keyboard.press("Escape")  # deselect: the next key is for the next region again
    expect(_status(area)).to_have_text("Active label: Person")
    page.keyboard.press("1")
    _draw_box(page, svg, BOX_SPOTS[2])
    expect(shapes).to_have_count(3)
    submit(page, task)
    assert labels_by(exported_result(project, users["manager"]), lambda v: v["x"]) == ["Sign", "Person", "Car"]


def test_relabel_a_clicked_text_span(page, live_server, users):
    project, (task,) = labeling_project(users, _config("Labels", '<Text name="obj" value="$text"/>'), [{"text": TEXT}])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    for n, word in enumerate(WORDS[:2], start=1):
        page.keyboard.press(str(n))
        _select_text(page, "#labeling .ls-text", word)
    spans = area.locator(".ls-text .ls-region[data-label]")
    expect(spans).to_have_count(2)
    spans.filter(has_text="car").click()  # explicit: click the span
    expect(area.locator(".ls-text .ls-region.ls-selected")).to_have_text("car")
    expect(_status(area)).to_contain_text("Selected region: Car")
    page.keyboard.press("3")
    expect(spans.filter(has_text="car")).to_have_attribute("data-label", "Sign")
    page.keyboard.press("Escape")
    expect(_status(area)).to_have_text("Active label: Person")
    submit(page, task)
    assert labels_by(exported_result(project, users["manager"]), lambda v: v["start"]) == ["Sign", "Person"]


def test_a_plain_tool_key_pressed_twice_stays_on(page, live_server, users, media):
    config = f'<View>{IMAGE}<Rectangle name="box" toName="obj" hotkey="r"/></View>'
    project, (task,) = labeling_project(users, config, [{"image": f"{media.url}/sample.png"}])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    _image_ready(area)
    expect(_status(area)).to_have_text("No active label: press R or click a tool before drawing or selecting.")
    page.keyboard.press("r")
    page.keyboard.press("r")
    expect(_status(area)).to_have_text("Active label: Rectangle tool")
    _draw_box(page, area.locator(".ls-image-svg"), BOX_SPOTS[0])
    expect(area.locator(".ls-image-svg .ls-shape")).to_have_count(1)
    submit(page, task)
    (item,) = exported_result(project, users["manager"])
    assert item["type"] == "rectangle" and item["value"]["x"] == pytest.approx(5, abs=2)
