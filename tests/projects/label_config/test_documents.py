"""<Pdf> with OcrLabels/RectangleLabels (regions carry value.pageIndex) and <Image valueList>
(regions carry item_index): configs and results."""

import pytest

from projects.label_config import parse
from projects.label_config.errors import LabelConfigError
from projects.label_config.results import validate_result
from projects.label_config.samples import sample_task

PDF = """<View>
  <Rating name="rating" toName="pdf" maxRating="10"/>
  <OcrLabels name="ocr" toName="pdf"><Label value="Typo"/></OcrLabels>
  <RectangleLabels name="box" toName="pdf"><Label value="Logo"/></RectangleLabels>
  <Pdf name="pdf" value="$pdf"/>
</View>"""
GALLERY = """<View><Image name="img" valueList="$images"/>
  <RectangleLabels name="box" toName="img"><Label value="Cat"/></RectangleLabels></View>"""


def _box(control="ocr", rtype="ocrlabels", **extra):
    value = {"x": 10, "y": 10, "width": 20, "height": 5, "rotation": 0, rtype: ["Typo" if control == "ocr" else "Logo"]}
    value.update(extra)
    return {"id": "r1", "from_name": control, "to_name": "pdf", "type": rtype, "value": value}


def test_pdf_config_and_sample_data():
    config = parse(PDF)
    assert config.objects["pdf"].tag_name == "Pdf"
    assert sample_task(config) == {"pdf": "/static/samples/sample.pdf"}


def test_pdf_regions_need_their_page():
    config = parse(PDF)
    assert validate_result(config, [_box(pageIndex=1), _box("box", "rectanglelabels", pageIndex=0)]) == []
    (missing,) = validate_result(config, [_box()])
    assert missing.field == "value.pageIndex" and "required" in missing.message
    for bad in (-1, "1", 1.5, True):
        (err,) = validate_result(config, [_box(pageIndex=bad)])
        assert err.field == "value.pageIndex"


def test_ocr_labels_checked_like_rectangles():
    config = parse(PDF)
    errors = validate_result(config, [_box(pageIndex=0, x=95)])
    assert [e.field for e in errors] == ["value.width"]
    item = _box(pageIndex=0)
    item["value"]["ocrlabels"] = ["Nope"]
    assert validate_result(config, [item])[0].field == "value.ocrlabels[0]"


def test_brush_is_not_offered_on_a_pdf():
    with pytest.raises(LabelConfigError):
        parse(
            '<View><BrushLabels name="b" toName="pdf"><Label value="A"/></BrushLabels><Pdf name="pdf" value="$pdf"/></View>'
        )


def test_value_list_regions_carry_item_index():
    config = parse(GALLERY)
    assert sample_task(config)["images"][0].endswith("sample.jpg")
    item = {"id": "a", "from_name": "box", "to_name": "img", "type": "rectanglelabels", "item_index": 2,
            "value": {"x": 1, "y": 1, "width": 5, "height": 5, "rectanglelabels": ["Cat"]}}  # fmt: skip
    assert validate_result(config, [item]) == []
    for bad in (-1, "2", 0.5):
        (err,) = validate_result(config, [{**item, "item_index": bad}])
        assert err.field == "item_index"
