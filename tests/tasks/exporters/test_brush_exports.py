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


BRUSH_POLYGON_CONFIG = """<View>
  <Image name="img" value="$image"/>
  <BrushLabels name="paint" toName="img"><Label value="Sky" background="#0000ff"/><Label value="Tree"/></BrushLabels>
  <PolygonLabels name="poly" toName="img"><Label value="Road"/></PolygonLabels>
  <RectangleLabels name="box" toName="img"><Label value="Car"/></RectangleLabels>
</View>"""


def disc_and_ring(size=(40, 30)):
    """A disc, a ring (its hole holds a dot: not an outer contour), a lone pixel, a 2-pixel line."""
    w, h = size
    yy, xx = np.mgrid[:h, :w]
    m = ((xx - 8) ** 2 + (yy - 8) ** 2 < 36) | (
        ((xx - 28) ** 2 + (yy - 18) ** 2 < 81) & ((xx - 28) ** 2 + (yy - 18) ** 2 > 16)
    )
    m[18, 28] = m[2, 20] = m[28, 2] = m[28, 3] = True
    m[29, :] = True  # touches the image edge
    return [(int(r), int(c)) for r, c in zip(*np.nonzero(m), strict=True)]


@pytest.mark.parametrize("selection", SELECTIONS)
def test_brush_to_coco_equals_converter(users, media, tmp_path, selection):
    import json

    size = (40, 30)
    poly = {"from_name": "poly", "to_name": "img", "type": "polygonlabels", "original_width": 40, "original_height": 30,
            "value": {"points": [[10, 10], [50.5, 12.5], [30, 90]], "polygonlabels": ["Road"]}}  # fmt: skip
    box = {"from_name": "box", "to_name": "img", "type": "rectanglelabels", "original_width": 40, "original_height": 30,
           "value": {"x": 12.5, "y": 10, "width": 25, "height": 33.3, "rotation": 0, "rectanglelabels": ["Car"]}}  # fmt: skip
    project = build(BRUSH_POLYGON_CONFIG, [
        {"data": {"image": image_file(media, "t.png", size)}, "completions": [
            {"by": "alice", "result": [brush(disc_and_ring(), ["Sky"], size), poly,
                                       brush([(5, 5), (5, 6), (6, 5)], ["Tree", "Sky"], size), box]},
            {"by": "bob", "result": [brush([(3, 3)], ["Tree"], size)]},
            {"by": "carol", "cancelled": True, "result": [brush([(3, 3)], ["Tree"], size)]}]},
        {"data": {"image": image_file(media, "u.png", size)}, "completions": [{"by": "bob", "cancelled": True}]},
        {"data": {"image": image_file(media, "v.png", size)}},
        {"data": {"image": image_file(media, "w.png", size)}, "completions": [
            {"by": "carol", "result": [brush([(r, c) for r in range(4, 9) for c in range(10, 20)], ["Tree"], size)]}]},
    ], users)  # fmt: skip

    def load(files):
        (data,) = files.values()
        coco = json.loads(data)
        coco.pop("info")
        for category in coco["categories"]:
            category.pop("color")  # the converter's are random
        return coco

    their = theirs(project, "BRUSH_TO_COCO", selection, tmp_path)
    mine = ours(project, "BRUSH_TO_COCO", selection)
    assert list(mine) == list(their) == ["result_coco.json"]
    assert load(mine) == load(their)
    coco = load(mine)
    assert len(coco["images"]) == 2 and len(coco["annotations"]) >= 6
    assert json.loads(mine["result_coco.json"])["categories"][0]["color"] == "#0000ff"
