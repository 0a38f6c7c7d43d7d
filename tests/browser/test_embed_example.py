"""The embeddable labeling interface in real headless Chromium, from file:// (no server, no DB).

Run: pytest -m browser tests/browser/test_embed_example.py
Needs /usr/bin/chromium (Debian package) and Playwright for Python; never downloads a browser.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS, SCREENSHOTS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
LABELING = ROOT / "static" / "labeling"
EXAMPLE = LABELING / "examples" / "embed.html"
SCREENSHOT = SCREENSHOTS / "embed-example.png"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IMAGE = (
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='800' height='600'%3E"
    "%3Crect width='800' height='600' fill='%23cbd5e1'/%3E%3C/svg%3E"
)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, request):
    pg = browser.new_page(viewport={"width": 1200, "height": 900})
    pg.js_errors = []
    pg.on("pageerror", lambda exc: pg.js_errors.append(str(exc)))
    yield pg
    pg.close()


@contextlib.contextmanager
def artifact_on_failure(page, name: str):
    """Save a screenshot to build/test-artifacts/<name>.png when the block fails."""
    try:
        yield
    except BaseException:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(Exception):
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        raise


def embed_page(tmp_path: Path, options: dict) -> str:
    """A throwaway page that embeds the classic bundle like any third-party site would."""
    opts = json.dumps(options).replace("</", "<\\/")
    html = f"""<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="{(LABELING / "labeling.css").as_uri()}">
<script src="{(LABELING / "dist" / "labeling.bundle.js").as_uri()}"></script></head>
<body><div id="app" style="width:1100px"></div><script>
const options = {opts};
options.onSubmit = (result, meta) => {{ window.submitted = {{ result, meta }}; }};
window.ui = new LabelingInterface(document.getElementById('app'), options);
</script></body></html>"""
    path = tmp_path / "embed.html"
    path.write_text(html, encoding="utf-8")
    return path.as_uri()


def test_example_page_submits_feedback_from_file_url(page):
    page.goto(EXAMPLE.as_uri())
    with artifact_on_failure(page, "embed-example"):
        page.click('.ls-choice[data-value="Negative"]')
        page.click('.ls-rating-star[data-value="3"]')
        page.fill(".ls-textarea textarea", "The parcel was late.")
        page.click(".ls-submit")
        payload = json.loads(page.inner_text("#result"))
        result = payload["result"]
        by_name = {item["from_name"]: item for item in result}
        assert set(by_name) == {"sentiment", "satisfaction", "comment"}
        for item in result:
            assert set(item) == {"id", "from_name", "to_name", "type", "value", "origin"}
            assert item["to_name"] == "message"
            assert item["origin"] == "manual"
        assert by_name["sentiment"]["type"] == "choices"
        assert by_name["sentiment"]["value"] == {"choices": ["Negative"]}
        assert by_name["satisfaction"]["value"] == {"rating": 3}
        assert by_name["comment"]["value"] == {"text": ["The parcel was late."]}
        assert payload["lead_time"] >= 0
        assert page.js_errors == []
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=True)


def test_example_page_requires_a_choice(page):
    page.goto(EXAMPLE.as_uri())
    with artifact_on_failure(page, "embed-example-required"):
        page.click(".ls-submit")
        assert page.inner_text("#result") == ""
        assert "required" in page.inner_text(".ls-errors")
        page.keyboard.press("p")  # hotkey of "Positive"
        page.click(".ls-submit")
        assert json.loads(page.inner_text("#result"))["result"][0]["value"] == {"choices": ["Positive"]}


SHAPES = """<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img"><Label value="Car"/></RectangleLabels>
  <EllipseLabels name="ell" toName="img"><Label value="Ball"/></EllipseLabels>
  <PolygonLabels name="poly" toName="img"><Label value="Road"/></PolygonLabels>
</View>"""


def test_draw_rectangle_ellipse_polygon_then_move_and_undo(page, tmp_path):
    page.goto(embed_page(tmp_path, {"config": SHAPES, "task": {"id": 1, "data": {"image": IMAGE}}}))
    with artifact_on_failure(page, "embed-shapes"):
        page.wait_for_function("document.querySelector('.ls-image svg').getAttribute('viewBox') === '0 0 800 600'")
        box = page.locator(".ls-image svg").bounding_box()

        def at(x, y):  # image pixels -> page coordinates
            return box["x"] + x * box["width"] / 800, box["y"] + y * box["height"] / 600

        def drag(a, b):
            page.mouse.move(*at(*a))
            page.mouse.down()
            page.mouse.move(*at(*b), steps=6)
            page.mouse.up()

        page.click('.ls-label[data-value="Car"]')
        drag((80, 60), (240, 210))
        page.click('.ls-label[data-value="Ball"]')
        drag((500, 300), (580, 360))
        page.click('.ls-label[data-value="Road"]')
        for pt in [(100, 400), (300, 420), (200, 560)]:
            page.mouse.click(*at(*pt))
        page.mouse.click(*at(101, 401))  # back on the first point closes the polygon

        result = page.evaluate("ui.getResult()")
        assert [r["type"] for r in result] == ["rectanglelabels", "ellipselabels", "polygonlabels"]
        rect, ell, poly = (r["value"] for r in result)
        assert rect["rectanglelabels"] == ["Car"] and rect["rotation"] == 0
        assert rect["x"] == pytest.approx(10, abs=0.5) and rect["y"] == pytest.approx(10, abs=0.5)
        assert rect["width"] == pytest.approx(20, abs=0.5) and rect["height"] == pytest.approx(25, abs=0.5)
        assert (
            result[0]["original_width"] == 800
            and result[0]["original_height"] == 600
            and result[0]["image_rotation"] == 0
        )
        assert ell["x"] == pytest.approx(62.5, abs=0.5) and ell["radiusX"] == pytest.approx(10, abs=0.5)
        assert ell["radiusY"] == pytest.approx(10, abs=0.5) and ell["ellipselabels"] == ["Ball"]
        assert len(poly["points"]) == 3 and poly["points"][0] == pytest.approx([12.5, 66.6667], abs=0.5)
        assert page.locator(".ls-region-item").count() == 3
        assert page.locator(".ls-image svg .ls-shape").count() == 3

        # move the rectangle (no tool active: click the active label again to drop it)
        page.click('.ls-label[data-value="Road"]')
        page.keyboard.press("Escape")
        drag((160, 130), (240, 130))
        moved = page.evaluate("ui.getResult()[0].value")
        assert moved["x"] == pytest.approx(20, abs=0.5) and moved["width"] == pytest.approx(20, abs=0.5)

        page.click(".ls-undo")
        assert page.evaluate("ui.getResult()[0].value.x") == pytest.approx(10, abs=0.5)
        page.keyboard.press("Control+Shift+Z")
        assert page.evaluate("ui.getResult()[0].value.x") == pytest.approx(20, abs=0.5)

        page.click(f'.ls-region-item[data-id="{result[1]["id"]}"] .ls-region-delete')
        assert [r["type"] for r in page.evaluate("ui.getResult()")] == ["rectanglelabels", "polygonlabels"]
        assert page.js_errors == []


def test_text_spans_predictions_and_round_trip(page, tmp_path):
    config = """<View><Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
      <Text name="text" value="$text"/></View>"""
    prediction = {
        "result": [
            {
                "id": "p1",
                "from_name": "ner",
                "to_name": "text",
                "type": "labels",
                "value": {"start": 16, "end": 22, "text": "Google", "labels": ["ORG"]},
            }
        ]
    }
    page.goto(
        embed_page(
            tmp_path,
            {
                "config": config,
                "task": {"id": 1, "data": {"text": "John works for Google."}},
                "predictions": [prediction],
            },
        )
    )
    with artifact_on_failure(page, "embed-text"):
        assert page.locator(".ls-text .ls-region").count() == 1
        page.click('.ls-label[data-value="PER"]')
        span = page.locator(".ls-text").bounding_box()
        # select "John" with the mouse: from the left edge, double-click selects the word
        page.mouse.dblclick(span["x"] + 16, span["y"] + span["height"] / 2)
        result = page.evaluate("ui.getResult()")
        assert result[0]["origin"] == "prediction"
        assert result[1]["value"] == {"start": 0, "end": 4, "text": "John", "labels": ["PER"]}
        assert result[1]["origin"] == "manual"
        page.select_option('.ls-region-item[data-id="p1"] .ls-region-label', "PER")
        assert page.evaluate("ui.getResult()[0].origin") == "prediction-changed"
        # loading a completion and submitting it unchanged gives the same JSON
        page.evaluate("ui.loadCompletion({id: 7, result: window.saved = ui.getResult()})")
        page.click(".ls-update") if page.locator(".ls-update").is_visible() else page.click(".ls-submit")
        assert page.evaluate("JSON.stringify(ui.getResult()) === JSON.stringify(window.saved)")
