"""BRUSH_TO_NUMPY against Label Studio's converter on the same JSON export: same files, same arrays."""

import io

import numpy as np
import pytest
from label_studio_sdk.converter.brush import encode_rle

from tests import factories

from .cases import image_file
from .conftest import build
from .parity import BRUSH_CONFIG, SELECTIONS, ours, theirs

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(db):
    return {name: factories.make_user(name) for name in ("alice", "bob", "carol")}


def brush(cells, labels, size=(8, 6), value=200):
    w, h = size
    canvas = np.zeros((h, w, 4), dtype=np.uint8)
    for row, col in cells:
        canvas[row, col] = (value, value, value, value)
    rle = [int(b) for b in encode_rle(canvas.flatten())]
    return {"from_name": "paint", "to_name": "img", "type": "brushlabels", "original_width": w,
            "original_height": h, "value": {"format": "rle", "rle": rle, "brushlabels": labels}}  # fmt: skip


@pytest.mark.parametrize("selection", SELECTIONS)
def test_brush_to_numpy_equals_converter(users, media, tmp_path, selection):
    project = build(BRUSH_CONFIG, [
        {"data": {"image": image_file(media, "t.png", (8, 6))}, "completions": [
            {"by": "alice", "result": [brush([(0, c) for c in range(8)], ["Sky"]), brush([(1, 0), (2, 0)], ["Sky"]),
                                       brush([(5, 7)], ["Tree"]), brush([(4, 4)], ["Sky", "Tree"])]},
            {"by": "bob", "result": [brush([(3, 3)], ["Tree"], value=255)]},
            {"by": "carol", "cancelled": True, "result": [brush([(3, 3)], ["Tree"])]}]},
        {"data": {"image": image_file(media, "u.png", (8, 6))}, "completions": [{"by": "bob", "cancelled": True}]},
        {"data": {"image": image_file(media, "w.png", (5, 3))}, "completions": [
            {"by": "carol", "result": [brush([(2, 4)], ["Tree"], size=(5, 3))]}]},
        {"data": {"image": image_file(media, "v.png", (8, 6))}},
    ], users)  # fmt: skip

    their = theirs(project, "BRUSH_TO_NUMPY", selection, tmp_path)
    mine = ours(project, "BRUSH_TO_NUMPY", selection)
    assert sorted(mine) == sorted(their)
    assert len(mine) == 6  # alice: Sky-0, Sky-1, Tree-0, Sky-Tree-0; bob: Tree-0; carol: Tree-0
    assert any(name.endswith("-paint-Sky-1.npy") for name in mine)
    for name, data in their.items():
        a, b = np.load(io.BytesIO(data)), np.load(io.BytesIO(mine[name]))
        assert a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b), name
        assert b.any()
