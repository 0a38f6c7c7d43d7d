"""static/labeling/rle.js (run by node) against label_studio_sdk.converter.brush, bit for bit."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from label_studio_sdk.converter import brush

from .test_brush_rle import CASES

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.skipif(not shutil.which("node"), reason="node is not installed")


def test_js_encode_and_decode_agree_with_the_converter(tmp_path):
    small = {name: data for name, data in CASES.items() if data.size <= 300_001}
    source = {name: {"data": data.tolist(), "rle": brush.encode_rle(data)} for name, data in small.items()}
    (tmp_path / "in.json").write_text(json.dumps(source))
    subprocess.run(
        ["node", str(ROOT / "tests/js/rle_cli.mjs"), str(tmp_path / "in.json"), str(tmp_path / "out.json")],
        check=True,
        cwd=ROOT,
    )
    result = json.loads((tmp_path / "out.json").read_text())
    assert set(result) == set(small)
    for name, data in small.items():
        assert result[name]["encoded"] == source[name]["rle"], name
        assert np.array_equal(brush.decode_rle(result[name]["encoded"]), data), name
        assert result[name]["decoded"] == source[name]["data"], name
