"""Label Studio 1.23.2's shipped templates, two or more per family, unchanged from its wheel, rendered
with sample data (the template's own example, else our config preview's generator) in the embeddable
interface in real Chromium: one interaction per control (first choice, a text, three stars...), submit
through onSubmit, and the result validates against the config with our Python validator."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
import yaml

from projects.label_config import parse
from tests.browser.test_embed_example import artifact_on_failure, browser, embed_page, page  # noqa: F401
from tests.projects.label_config.test_ls_templates import _wheel

pytestmark = pytest.mark.browser

FAMILIES = {
    "computer-vision": ["computer-vision/image-classification", "computer-vision/image-captioning"],
    "nlp": ["natural-language-processing/text-classification", "natural-language-processing/taxonomy"],
    "audio-speech": [
        "audio-speech-processing/automatic-speech-recognition",
        "audio-speech-processing/signal-quality-detection",
    ],
    "conversational-ai": ["conversational-ai/response-generation", "conversational-ai/response-selection"],
    "ranking-scoring": ["ranking-and-scoring/pairwise-classification", "ranking-and-scoring/document-retrieval"],
    "structured-time-series": ["structured-data-parsing/tabular-data", "time-series-analysis/time-series-forecasting"],
    "videos": ["videos/video-classification", "videos/video-frame-classification"],
    "llm": ["generative-ai/response-grading", "generative-ai/human-feedback-collection"],
}
CASES = [(family, key) for family, keys in FAMILIES.items() for key in keys]

# One interaction per visible control; returns how many controls were touched.
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
  }
  const left = document.querySelector('.ls-pairwise-left');
  if (left && visible(left)) { left.click(); n++; }
  return n;
}"""


def sample_data(config: str) -> dict:
    """The template's own example task (the JSON comment after the config), completed by our generator."""
    import json
    import re

    from projects.label_config import sample_task

    found = re.search(r"<!--\s*(\{.*\})\s*-->", config, re.S)
    data = {}
    if found:
        example = json.loads(found.group(1))
        data = example.get("data", example) if isinstance(example, dict) else {}
    for key, value in sample_task(parse(config)).items():
        data.setdefault(key, value)
    return data


@pytest.fixture(scope="module")
def family_templates() -> dict[str, str]:
    wheel = _wheel()
    if wheel is None:
        pytest.skip("could not download the label-studio wheel with pip")
    prefix = "label_studio/annotation_templates/"
    with zipfile.ZipFile(wheel) as zf:
        return {key: yaml.safe_load(zf.read(f"{prefix}{key}/config.yml"))["config"] for _, key in CASES}


# templates whose only control draws regions on media: a local media file and a drag on its track
MEDIA = {"videos/video-frame-classification": ("video", "sample.mp4", ".ls-video-timeline")}
SAMPLES = Path(__file__).resolve().parents[2] / "static" / "samples"


def _draw_region(pg, track: str):
    pg.locator(".ls-label").first.click()
    box = pg.locator(track).first.bounding_box()
    y = box["y"] + box["height"] / 2
    pg.mouse.move(box["x"] + box["width"] * 0.1, y)
    pg.mouse.down()
    pg.mouse.move(box["x"] + box["width"] * 0.3, y, steps=6)
    pg.mouse.up()


@pytest.mark.parametrize(("family", "key"), CASES, ids=[f"{f}:{k.split('/')[-1]}" for f, k in CASES])
def test_template_renders_and_submits_a_valid_result(page, tmp_path, media, family_templates, family, key):  # noqa: F811
    config_text = family_templates[key]
    data = sample_data(config_text)
    field, sample, track = MEDIA.get(key, (None, None, None))
    if field:
        shutil.copy(SAMPLES / sample, media.path / sample)
        data[field] = f"{media.url}/{sample}"
    page.goto(embed_page(tmp_path, {"config": config_text, "task": {"id": 1, "data": data}}))
    with artifact_on_failure(page, f"template-{family}-{key.split('/')[-1]}"):
        page.wait_for_selector(".ls-root")
        if track:
            page.wait_for_function("() => document.querySelector('.ls-video-total')?.textContent !== '/ 0'")
            _draw_region(page, track)
        else:
            assert page.evaluate(INTERACT) > 0, "no control to interact with"
        page.click(".ls-submit")
        page.wait_for_function(
            "() => window.submitted !== undefined || document.querySelector('.ls-errors')?.textContent"
        )
        submitted = page.evaluate("() => window.submitted")
        assert submitted is not None, page.inner_text(".ls-errors")
        result = submitted["result"]
        assert result, "nothing in the result"
        assert parse(config_text).validate_result(result, data) == []
        assert page.js_errors == []
