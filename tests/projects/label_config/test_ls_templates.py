"""Every labeling config Label Studio 1.23.2 ships (annotation_templates/ in its wheel) validates
here unchanged, except those built on tags we do not have yet (listed below with the reason).
The wheel is fetched once with pip into build/ (git-ignored) and read from the zip."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from projects.label_config import parse

VERSION = "1.23.2"
CACHE = Path(__file__).resolve().parents[3] / "build" / "label-studio-wheel"

# template directory -> why it does not validate here (tags of other issues)
EXPECTED_FAILURES = {}


def _wheel() -> Path | None:
    found = sorted(CACHE.glob(f"label_studio-{VERSION}-*.whl"))
    if found:
        return found[0]
    CACHE.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "pip", "download", "--no-deps", f"label-studio=={VERSION}", "-d", str(CACHE), "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    found = sorted(CACHE.glob(f"label_studio-{VERSION}-*.whl"))
    return found[0] if done.returncode == 0 and found else None


@pytest.fixture(scope="module")
def templates() -> dict[str, str]:
    wheel = _wheel()
    if wheel is None:
        pytest.skip(f"could not download label-studio=={VERSION} with pip (no access to PyPI?)")
    out = {}
    prefix = "label_studio/annotation_templates/"
    with zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            if name.startswith(prefix) and name.endswith("/config.yml"):
                key = name[len(prefix) : -len("/config.yml")]
                out[key] = yaml.safe_load(zf.read(name))["config"]
    return out


def test_every_template_we_support_validates_unchanged(templates):
    assert len(templates) > 60, "the wheel's templates were not found"
    refused = {}
    for key, config in sorted(templates.items()):
        try:
            parse(config)
        except ValueError as exc:
            refused[key] = str(exc)
    unexpected = {k: v for k, v in refused.items() if k not in EXPECTED_FAILURES}
    assert unexpected == {}, "Label Studio templates refused here"
    now_valid = sorted(set(EXPECTED_FAILURES) - set(refused))
    assert now_valid == [], "these validate now: remove them from EXPECTED_FAILURES"


def test_the_formerly_refused_templates(templates):
    ocr = parse(templates["computer-vision/optical-character-recognition"])  # <Labels> on an <Image>
    assert ocr.controls["label"].to_names == ["image"]
    box = {"x": 10, "y": 10, "width": 20, "height": 5, "rotation": 0}
    result = [
        {"id": "r1", "from_name": "label", "to_name": "image", "type": "labels", "value": {**box, "labels": ["Text"]}}
    ]
    assert ocr.validate_result(result) == []
    rating = parse(templates["generative-ai/chatbot-assessment"])  # a <Rating> without toName
    assert rating.controls["likert_scale"].to_names == []
    duplicated = parse(templates["ranking-and-scoring/document-retrieval"])  # the same <Choice> twice: a warning
    assert any("'Two' appears more than once" in w for w in duplicated.warnings)
