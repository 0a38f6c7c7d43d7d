"""Label Studio 1.23.2's shipped templates, two or more per family, unchanged from its wheel, labeled
in the app's label stream in real Chromium with their media served locally (the media fixture), as a
person does it: one interaction per control (first choice, a text, three stars...) and, for the
templates built on regions, a region drawn with the mouse (box, brush stroke, text or phrase span,
audio segment, time-series range, video box). The task is submitted, exported as JSON through the
export service, and every exported result validates against the config with our Python validator."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from projects.label_config import parse, sample_task
from tests.browser.conftest import login
from tests.browser.helpers import drag, labeling_project, no_favicon, open_stream, submit
from tests.projects.label_config.test_ls_templates import _wheel
from tests.tasks.exporters.conftest import run_export

pytestmark = [pytest.mark.browser, pytest.mark.live]

# template -> the region drawn on it (None: its controls are only clicked/typed)
FAMILIES = {
    "computer-vision": {
        "computer-vision/image-classification": None,
        "computer-vision/image-captioning": None,
        "computer-vision/object-detection-with-bounding-boxes": "rectanglelabels",
        "computer-vision/semantic-segmentation-with-masks": "brushlabels",
    },
    "nlp": {
        "natural-language-processing/text-classification": None,
        "natural-language-processing/taxonomy": None,
        "natural-language-processing/named-entity-recognition": "labels",
    },
    "audio-speech": {
        "audio-speech-processing/automatic-speech-recognition": None,
        "audio-speech-processing/signal-quality-detection": None,
        "audio-speech-processing/speaker-segmentation": "labels",
    },
    "conversational-ai": {
        "conversational-ai/response-generation": None,
        "conversational-ai/response-selection": None,
        "conversational-ai/intent-classification-and-slot-filling": "paragraphlabels",
    },
    "ranking-scoring": {
        "ranking-and-scoring/pairwise-classification": None,
        "ranking-and-scoring/document-retrieval": None,
    },
    "structured-time-series": {
        "structured-data-parsing/tabular-data": None,
        "time-series-analysis/time-series-forecasting": None,
        "time-series-analysis/change-point-detection": "timeserieslabels",
    },
    "videos": {
        "videos/video-classification": None,
        "videos/video-frame-classification": "timelinelabels",
        "videos/video-object-tracking": "videorectangle",
    },
    "llm": {
        "generative-ai/response-grading": None,
        "generative-ai/human-feedback-collection": None,
    },
}
CASES = [(family, key, region) for family, keys in FAMILIES.items() for key, region in keys.items()]

# One interaction per visible control (regions aside); returns how many controls were touched.
INTERACT = """() => {
  let n = 0;
  const seen = new Set();
  const visible = (e) => e.offsetParent !== null && !e.disabled;
  for (const b of document.querySelectorAll('.ls-choice[data-control]')) {
    if (seen.has(b.dataset.control) || !visible(b)) continue;
    seen.add(b.dataset.control); b.click(); n++;
  }
  for (const s of document.querySelectorAll('select.ls-choices-select')) {
    if (!visible(s) || s.options.length < 2) continue;
    s.selectedIndex = s.multiple ? 0 : 1; s.dispatchEvent(new Event('change')); n++;
  }
  for (const box of document.querySelectorAll('.ls-taxonomy')) {
    const cb = [...box.querySelectorAll('input[type=checkbox]')].find(visible);
    if (cb) { cb.click(); n++; }
  }
  for (const r of document.querySelectorAll('.ls-rating')) {
    const star = r.querySelector('.ls-rating-star[data-value="3"]') || r.querySelector('.ls-rating-star');
    if (star && visible(star)) { star.click(); n++; }
  }
  for (const t of document.querySelectorAll('.ls-textarea textarea, .ls-textarea input[type=text]')) {
    if (!visible(t)) continue;
    t.focus(); t.value = 'A sample answer.'; t.dispatchEvent(new Event('input', { bubbles: true }));
    t.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })); n++;
    t.blur();
  }
  const left = document.querySelector('.ls-pairwise-left');
  if (left && visible(left)) { left.click(); n++; }
  return n;
}"""

# the screen box of the first word of three letters or more under a selector
WORD_BOX = """([selector]) => {
  const el = document.querySelector(selector);
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const m = /[A-Za-z]{3,}/.exec(n.data);
    if (!m) continue;
    const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
    const b = r.getBoundingClientRect(); return {x: b.x, y: b.y, w: b.width, h: b.height};
  }
  return null;
}"""

SAMPLES = Path(__file__).resolve().parents[2] / "static" / "samples"
# object tag -> the local file served for it (sample.png and sample.wav are made by the media fixture)
LOCAL = {
    "Image": "sample.png",
    "Audio": "sample.wav",
    "Video": "sample.mp4",
    "TimeSeries": "sample-timeseries.csv",
    "Pdf": "sample.pdf",
}


def sample_data(config: str) -> dict:
    """The template's own example task (the JSON comment after the config), completed by our generator."""
    found = re.search(r"<!--\s*(\{.*\})\s*-->", config, re.S)
    data = {}
    if found:
        example = json.loads(found.group(1))
        data = example.get("data", example) if isinstance(example, dict) else {}
    for key, value in sample_task(parse(config)).items():
        data.setdefault(key, value)
    return data


def localize(config: str, data: dict, media) -> dict:
    """Point every media URL the config reads at a local file (the examples' URLs are remote)."""
    for obj in parse(config).objects.values():
        name = LOCAL.get(obj.tag_name)
        key = obj.value_key
        if name is None or key not in data or not isinstance(data[key], str | list):
            continue
        if obj.tag_name == "TimeSeries" and not obj.value_is_url():
            continue
        if not (media.path / name).exists():
            shutil.copy(SAMPLES / name, media.path / name)
        url = f"{media.url}/{name}"
        data[key] = [url] * len(data[key]) if isinstance(data[key], list) else url
    return data


@pytest.fixture(scope="module")
def family_templates() -> dict[str, str]:
    wheel = _wheel()
    if wheel is None:
        pytest.skip("could not download the label-studio wheel with pip")
    prefix = "label_studio/annotation_templates/"
    with zipfile.ZipFile(wheel) as zf:
        return {key: yaml.safe_load(zf.read(f"{prefix}{key}/config.yml"))["config"] for _, key, _ in CASES}


def _pick_label(area):
    area.locator(".ls-label").first.click()


def _select_word(page, selector: str):
    box = page.evaluate(WORD_BOX, [selector])
    assert box, f"no word under {selector}"
    page.mouse.move(box["x"] + 1, box["y"] + box["h"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["w"] - 1, box["y"] + box["h"] / 2, steps=5)
    page.mouse.up()


def _loaded_image(area):
    area.locator(".ls-image-img").first.evaluate(
        "img => img.complete || new Promise(r => img.addEventListener('load', r))"
    )
    expect(area.locator(".ls-image-svg").first).to_have_attribute("viewBox", "0 0 640 400")


def draw(page, area, region: str):
    """Draw one region of the given result type the way a person does, and wait until it is shown."""
    if region in ("rectanglelabels", "brushlabels"):
        _loaded_image(area)
        _pick_label(area)
        drag(page, area.locator(".ls-image-svg").first, (0.2, 0.3), (0.5, 0.6))
    elif region == "paragraphlabels":
        _pick_label(area)
        _select_word(page, "#labeling .ls-paragraph")
    elif region == "labels" and area.locator(".ls-text").count():
        _pick_label(area)
        _select_word(page, "#labeling .ls-text")
    elif region == "timelinelabels":
        expect(area.locator(".ls-video-total")).not_to_have_text("/ 0")
        _pick_label(area)
        drag(page, area.locator(".ls-video-timeline").first, (0.1, 0.5), (0.3, 0.5))
    elif region == "labels":
        expect(area.locator(".ls-audio-time")).not_to_have_text("0:00 / 0:00")
        _pick_label(area)
        drag(page, area.locator(".ls-audio-track").first, (0.2, 0.5), (0.6, 0.5))
    elif region == "timeserieslabels":
        expect(area.locator(".ls-ts-channel").first).to_be_visible()
        _pick_label(area)
        drag(page, area.locator(".ls-ts-channel").first, (0.25, 0.5), (0.5, 0.5))
    elif region == "videorectangle":
        expect(area.locator(".ls-video-total")).not_to_have_text("/ 0")
        _pick_label(area)
        drag(page, area.locator(".ls-video-overlay"), (0.1, 0.2), (0.3, 0.5))
    expect(area.locator(".ls-region-item")).not_to_have_count(0)
    page.keyboard.press("Escape")  # deselect the new region, as a person does before the next control


@pytest.mark.parametrize(("family", "key", "region"), CASES, ids=[f"{f}:{k.split('/')[-1]}" for f, k, _ in CASES])
def test_template_labeled_submitted_and_exported_valid(
    page, live_server, users, media, family_templates, family, key, region
):
    config = family_templates[key]
    data = localize(config, sample_data(config), media)
    project, (task,) = labeling_project(users, config, [data])
    login(page, live_server, users["ann1"])
    no_favicon(page)
    area = open_stream(page, live_server, project, task)
    touched = 0
    if region:
        draw(page, area, region)
        touched += 1
    touched += page.evaluate(INTERACT)
    assert touched > 0, "no control to interact with"
    submit(page, task)

    (line,) = json.loads(run_export(project, "JSON")["result.json"])
    (annotation,) = line["annotations"]
    result = annotation["result"]
    assert result, "nothing in the exported result"
    if region:
        assert region in {item["type"] for item in result}, result
    assert parse(config).validate_result(result, line["data"]) == []
    assert page.js_errors == []
