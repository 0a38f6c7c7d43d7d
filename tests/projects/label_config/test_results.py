"""Result items: each control type accepted when right, rejected with index + field when wrong."""

import pytest

from projects.label_config import ResultValidationError, parse

from .helpers import item

CONFIG = parse(
    """<View>
  <Text name="text" value="$text"/>
  <HyperText name="html" value="$html"/>
  <Paragraphs name="chat" value="$chat"/>
  <Image name="img" value="$image"/>
  <Audio name="audio" value="$audio"/>
  <Text name="other" value="$other"/>
  <List name="items" value="$items"/>
  <Choices name="sentiment" toName="text"><Choice value="Pos"/><Choice value="Neg" alias="negative"/></Choices>
  <Choices name="topics" toName="text,html" choice="multiple"><Choice value="A"/><Choice value="B"/></Choices>
  <Labels name="ner" toName="text,html,chat,audio"><Label value="PER"/><Label value="LOC"/></Labels>
  <ParagraphLabels name="intent" toName="chat"><Label value="Q"/></ParagraphLabels>
  <HyperTextLabels name="marks" toName="html"><Label value="Title"/></HyperTextLabels>
  <RectangleLabels name="box" toName="img"><Label value="Car"/></RectangleLabels>
  <Rectangle name="rect" toName="img"/>
  <PolygonLabels name="poly" toName="img"><Label value="Road"/></PolygonLabels>
  <Polygon name="plainpoly" toName="img"/>
  <KeyPointLabels name="kp" toName="img"><Label value="Nose"/></KeyPointLabels>
  <KeyPoint name="plainkp" toName="img"/>
  <EllipseLabels name="ell" toName="img"><Label value="Ball"/></EllipseLabels>
  <Ellipse name="plainell" toName="img"/>
  <BrushLabels name="mask" toName="img"><Label value="Fg"/></BrushLabels>
  <Brush name="plainmask" toName="img"/>
  <TextArea name="notes" toName="audio"/>
  <Rating name="stars" toName="text" maxRating="4"/>
  <Number name="price" toName="img" min="0" max="100"/>
  <DateTime name="when" toName="text"/>
  <Pairwise name="pw" toName="text,other"/>
  <Taxonomy name="tax" toName="text" >
    <Choice value="Animal"><Choice value="Bird"/><Choice value="Cat"/></Choice>
    <Choice value="Plant"/>
  </Taxonomy>
  <Taxonomy name="leafs" toName="text" leafsOnly="true"><Choice value="X"><Choice value="Y"/></Choice></Taxonomy>
  <Ranker name="rank" toName="items"><Bucket name="good"/><Bucket name="bad"/></Ranker>
  <Relations><Relation value="knows"/></Relations>
</View>"""
)
RECT = {"x": 10, "y": 20, "width": 30, "height": 40, "rotation": 0}
SPAN_XPATH = {"start": "/p[1]/text()[1]", "end": "/p[1]/text()[1]", "startOffset": 0, "endOffset": 4}

VALID = [
    item("sentiment", "text", "choices", {"choices": ["negative"]}),
    item("topics", "html", "choices", {"choices": ["A", "B"]}),
    item("topics", "text,html", "choices", {"choices": ["A"]}),
    item("ner", "text", "labels", {"start": 0, "end": 5, "text": "Alice", "labels": ["PER"]}),
    item("ner", "html", "labels", {**SPAN_XPATH, "labels": ["LOC"], "globalOffsets": {"start": 0, "end": 4}}),
    item("ner", "chat", "labels", {"start": "0", "end": "1", "startOffset": 0, "endOffset": 3, "labels": ["PER"]}),
    item("ner", "audio", "labels", {"start": 0.5, "end": 1.25, "channel": 0, "labels": ["PER"]}),
    item(
        "intent",
        "chat",
        "paragraphlabels",
        {"start": 0, "end": 0, "startOffset": 0, "endOffset": 3, "paragraphlabels": ["Q"]},
    ),
    item("marks", "html", "hypertextlabels", {**SPAN_XPATH, "hypertextlabels": ["Title"]}),
    item("box", "img", "rectanglelabels", {**RECT, "rectanglelabels": ["Car"]}),
    item("box", "img", "rectangle", RECT),
    item(
        "box",
        "img",
        "rectanglelabels",
        {"x": 90, "y": 90, "width": 30, "height": 30, "rotation": 45, "rectanglelabels": ["Car"]},
    ),
    item("rect", "img", "rectangle", {"x": 0, "y": 0, "width": 100, "height": 100.05}),
    item(
        "poly",
        "img",
        "polygonlabels",
        {"points": [[0, 0], [50, 0], [50, 50]], "closed": True, "polygonlabels": ["Road"]},
    ),
    item("plainpoly", "img", "polygon", {"points": [[0, 0], [50, 0], [50, 50], [0, 50]]}),
    item("kp", "img", "keypointlabels", {"x": 1, "y": 2, "width": 0.5, "keypointlabels": ["Nose"]}),
    item("plainkp", "img", "keypoint", {"x": 1, "y": 2}),
    item(
        "ell",
        "img",
        "ellipselabels",
        {"x": 50, "y": 50, "radiusX": 10, "radiusY": 5, "rotation": 30, "ellipselabels": ["Ball"]},
    ),
    item("plainell", "img", "ellipse", {"x": 50, "y": 50, "radiusX": 10, "radiusY": 5}),
    item("mask", "img", "brushlabels", {"format": "rle", "rle": [0, 1, 255], "brushlabels": ["Fg"]}),
    item("plainmask", "img", "brush", {"rle": [1, 2, 3]}),
    item("notes", "audio", "textarea", {"text": ["hello", "world"]}),
    item("stars", "text", "rating", {"rating": 4}),
    item("price", "img", "number", {"number": 12.5}),
    item("when", "text", "datetime", {"datetime": "2024-01-02T10:00"}),
    item("pw", "pw", "pairwise", {"selected": "left"}),
    item("pw", "text,other", "pairwise", {"selected": "right"}),
    item("tax", "text", "taxonomy", {"taxonomy": [["Animal", "Bird"], ["Plant"], ["Animal"]]}),
    item("leafs", "text", "taxonomy", {"taxonomy": [["X", "Y"]]}),
    item("rank", "items", "ranker", {"ranker": {"good": ["a", "b"], "bad": [], "_": ["c"]}}),
    item("sentiment", "text", "choices", {"choices": ["Pos"]}, id="r1", origin="prediction", score=0.93),
    item("ner", "text", "labels", {"start": 6, "end": 9, "labels": ["LOC"]}, id="r2"),
    {"type": "relation", "from_id": "r1", "to_id": "r2", "direction": "bi", "labels": ["knows"]},
    {"type": "relation", "from_id": "r2", "to_id": "r1"},
]


def test_every_control_type_accepted_when_right():
    assert CONFIG.validate_result(VALID, {"text": "Alice in Wonderland"}) == []
    CONFIG.check_result(VALID)  # does not raise


@pytest.mark.parametrize("good", VALID, ids=lambda i: f"{i.get('from_name', 'relation')}-{i['type']}")
def test_each_valid_item_alone(good):
    result = [good] if good["type"] != "relation" else VALID
    assert CONFIG.validate_result(result) == []


BAD = [
    # (item, field, message fragment)
    (item("nope", "text", "choices", {"choices": ["Pos"]}), "from_name", "'nope' names no control"),
    (item("sentiment", "img", "choices", {"choices": ["Pos"]}), "to_name", 'expected one of ["text"]'),
    (
        item("sentiment", "text", "labels", {"choices": ["Pos"]}),
        "type",
        "expected 'choices' for <Choices>, got \"labels\"",
    ),
    (item("sentiment", "text", "choices", "Pos"), "value", 'expected an object, got "Pos"'),
    (
        item("sentiment", "text", "choices", {"choices": ["Neutral"]}),
        "value.choices[0]",
        'expected one of ["Pos", "negative"], got "Neutral"',
    ),
    (
        item("sentiment", "text", "choices", {"choices": ["Pos", "negative"]}),
        "value.choices",
        "expected one value (choice is single), got 2",
    ),
    (item("topics", "text", "choices", {"choices": []}), "value.choices", "expected a non-empty list of strings"),
    (
        item("ner", "text", "labels", {"start": 5, "end": 2, "labels": ["PER"]}),
        "value.end",
        "expected end >= start (5), got 2",
    ),
    (
        item("ner", "text", "labels", {"start": "0", "end": 2, "labels": ["PER"]}),
        "value.start",
        'expected an integer >= 0, got "0"',
    ),
    (
        item("ner", "text", "labels", {"start": 0, "end": 2, "labels": ["ORG"]}),
        "value.labels[0]",
        'expected one of ["PER", "LOC"], got "ORG"',
    ),
    (
        item("ner", "text", "labels", {"start": 0, "end": 2}),
        "value.labels",
        "expected a non-empty list of strings, got null",
    ),
    (
        item("ner", "html", "labels", {**SPAN_XPATH, "start": 3, "labels": ["PER"]}),
        "value.start",
        "expected an XPath string, got 3",
    ),
    (
        item("ner", "html", "labels", {**SPAN_XPATH, "endOffset": -1, "labels": ["PER"]}),
        "value.endOffset",
        "expected an integer >= 0, got -1",
    ),
    (
        item("ner", "chat", "labels", {"start": "a", "end": "1", "startOffset": 0, "endOffset": 3, "labels": ["PER"]}),
        "value.start",
        "paragraph index",
    ),
    (
        item("ner", "audio", "labels", {"start": 2.0, "end": 1.0, "labels": ["PER"]}),
        "value.end",
        "expected end >= start (2), got 1",
    ),
    (
        item("box", "img", "rectanglelabels", {**RECT, "width": 140, "rectanglelabels": ["Car"]}),
        "value.width",
        "expected a number in 0..100, got 140",
    ),
    (
        item("box", "img", "rectanglelabels", {**RECT, "x": 80, "rectanglelabels": ["Car"]}),
        "value.width",
        "x + width must be <= 100, got 110",
    ),
    (
        item("box", "img", "rectanglelabels", {**RECT, "y": "10", "rectanglelabels": ["Car"]}),
        "value.y",
        'expected a number in 0..100, got "10"',
    ),
    (
        item("box", "img", "rectanglelabels", {**RECT, "rotation": "a", "rectanglelabels": ["Car"]}),
        "value.rotation",
        "expected a number",
    ),
    (
        item("box", "img", "rectanglelabels", {**RECT, "rectanglelabels": ["Bus"]}),
        "value.rectanglelabels[0]",
        'got "Bus"',
    ),
    (item("box", "img", "rectangle", {"x": 1, "y": 1, "width": 1}), "value.height", "is required"),
    (item("rect", "img", "rectanglelabels", RECT), "type", "expected 'rectangle' for <Rectangle>"),
    (
        item("poly", "img", "polygonlabels", {"points": [[0, 0], [1, 1]], "polygonlabels": ["Road"]}),
        "value.points",
        "expected at least 3 points, got 2",
    ),
    (
        item("poly", "img", "polygonlabels", {"points": [[0, 0], [1, 1], [101, 5]], "polygonlabels": ["Road"]}),
        "value.points[2]",
        "expected coordinates in 0..100, got [101, 5]",
    ),
    (
        item("plainpoly", "img", "polygon", {"points": [[0, 0], [1], [2, 2]]}),
        "value.points[1]",
        "expected [x, y] numbers, got [1]",
    ),
    (item("kp", "img", "keypointlabels", {"x": 1, "keypointlabels": ["Nose"]}), "value.y", "is required"),
    (
        item("plainkp", "img", "keypoint", {"x": 1, "y": 2, "width": -3}),
        "value.width",
        "expected a number >= 0, got -3",
    ),
    (
        item("ell", "img", "ellipselabels", {"x": 5, "y": 5, "radiusX": 200, "radiusY": 1, "ellipselabels": ["Ball"]}),
        "value.radiusX",
        "expected a number in 0..100, got 200",
    ),
    (
        item("mask", "img", "brushlabels", {"format": "png", "rle": [1], "brushlabels": ["Fg"]}),
        "value.format",
        'expected "rle", got "png"',
    ),
    (item("plainmask", "img", "brush", {"rle": [1, 300]}), "value.rle[1]", "expected an integer in 0..255, got 300"),
    (item("plainmask", "img", "brush", {"rle": []}), "value.rle", "expected a non-empty list of integers"),
    (item("notes", "audio", "textarea", {"text": [1, 2]}), "value.text", "expected a list of strings, got [1, 2]"),
    (item("stars", "text", "rating", {"rating": 5}), "value.rating", "expected an integer in 1..4, got 5"),
    (item("stars", "text", "rating", {"rating": 2.5}), "value.rating", "expected an integer in 1..4, got 2.5"),
    (item("price", "img", "number", {"number": 101}), "value.number", "expected a number in 0..100, got 101"),
    (item("price", "img", "number", {"number": True}), "value.number", "got true"),
    (item("when", "text", "datetime", {"datetime": ""}), "value.datetime", 'expected a date/time string, got ""'),
    (
        item("pw", "pw", "pairwise", {"selected": "middle"}),
        "value.selected",
        'expected "left" or "right", got "middle"',
    ),
    (item("pw", "text", "pairwise", {"selected": "left"}), "to_name", 'expected one of ["text", "other"]'),
    (
        item("tax", "text", "taxonomy", {"taxonomy": [["Animal", "Dog"]]}),
        "value.taxonomy[0]",
        "'Dog' is not a choice under Animal",
    ),
    (
        item("tax", "text", "taxonomy", {"taxonomy": ["Animal"]}),
        "value.taxonomy[0]",
        "expected a path (non-empty list of strings)",
    ),
    (
        item("leafs", "text", "taxonomy", {"taxonomy": [["X"]]}),
        "value.taxonomy[0]",
        "expected a path to a leaf (leafsOnly)",
    ),
    (item("rank", "items", "ranker", {"ranker": {"ugly": ["a"]}}), "value.ranker.ugly", "expected a column among"),
    (item("rank", "items", "ranker", {"ranker": {"good": "a"}}), "value.ranker.good", "expected a list of item ids"),
    (item("rank", "items", "ranker", {"ranker": []}), "value.ranker", "expected a dict"),
    (
        item("sentiment", "text", "choices", {"choices": ["Pos"]}, score="high"),
        "score",
        'expected a number, got "high"',
    ),
]


@pytest.mark.parametrize(("bad", "field", "fragment"), BAD, ids=lambda x: x if isinstance(x, str) else None)
def test_each_wrong_item_names_index_field_and_expectation(bad, field, fragment):
    result = [VALID[0], VALID[3], bad]
    errors = CONFIG.validate_result(result, {"text": "Alice in Wonderland"})
    assert len(errors) == 1, [str(e) for e in errors]
    error = errors[0]
    assert (error.index, error.field) == (2, field)
    assert fragment in error.message
    assert str(error) == f"result[2].{field}: {error.message}"


def test_message_format_from_the_issue():
    errors = CONFIG.validate_result([VALID[0], VALID[3], item("box", "img", "rectangle", {**RECT, "width": 140})])
    assert str(errors[0]) == "result[2].value.width: expected a number in 0..100, got 140"


def test_text_offsets_checked_against_task_text():
    bad = item("ner", "text", "labels", {"start": 0, "end": 50, "labels": ["PER"]})
    assert CONFIG.validate_result([bad]) == []  # no data: shape only
    errors = CONFIG.validate_result([bad], {"text": "short"})
    assert str(errors[0]) == "result[0].value.end: expected end <= text length 5, got 50"


def test_relations_must_link_regions_in_the_result():
    result = [
        VALID[-4],
        VALID[-3],
        {"type": "relation", "from_id": "r1", "to_id": "ghost", "direction": "up", "labels": ["hates"]},
    ]
    errors = [str(e) for e in CONFIG.validate_result(result)]
    assert errors == [
        "result[2].to_id: 'ghost' is not the id of a region in this result",
        'result[2].direction: expected "right", "left" or "bi", got "up"',
        'result[2].labels[0]: expected one of ["knows"], got "hates"',
    ]


def test_all_errors_are_returned_not_just_the_first():
    result = [item("nope", "x", "y", {}), "junk", item("stars", "text", "rating", {"rating": 0})]
    errors = CONFIG.validate_result(result)
    assert [(e.index, e.field) for e in errors] == [(0, "from_name"), (1, ""), (2, "value.rating")]


def test_result_must_be_a_list():
    errors = CONFIG.validate_result({"choices": []})
    assert str(errors[0]) == 'result: expected a list of result items, got {"choices": []}'


def test_check_result_raises_with_all_errors():
    with pytest.raises(ResultValidationError) as err:
        CONFIG.check_result([item("stars", "text", "rating", {"rating": 9}), item("pw", "pw", "pairwise", {})])
    assert len(err.value.errors) == 2
    assert "result[0].value.rating" in str(err.value) and "result[1].value.selected" in str(err.value)


def test_dynamic_choices_accept_any_string():
    config = parse('<View><Text name="t" value="$t"/><Choices name="c" toName="t" value="$opts"/></View>')
    assert config.validate_result([item("c", "t", "choices", {"choices": ["anything"]})]) == []


def test_editable_taxonomy_accepts_user_added_items_under_known_ones():
    xml = '<View><Text name="t" value="$t"/><Taxonomy name="tax" toName="t"{}><Choice value="A"><Choice value="B"/></Choice></Taxonomy></View>'
    editable, fixed = parse(xml.format(' isEditable="true"')), parse(xml.format(""))
    for path in (["A", "New"], ["Top"], ["A", "B", "Deeper", "More"]):
        assert editable.validate_result([item("tax", "t", "taxonomy", {"taxonomy": [path]})]) == []
        assert fixed.validate_result([item("tax", "t", "taxonomy", {"taxonomy": [path]})]) != []


TASK_TAXONOMY = """<View><Text name="t" value="$t"/>
<Taxonomy name="tax" toName="t" value="$tree"{}><Choice value="Other"/></Taxonomy></View>"""
TREE = [
    {"value": "Animal", "children": [{"value": "Bird"}, {"value": "Dog", "alias": "dog"}, "Cat"]},
    "Plant",
    {"value": "Other", "children": [{"value": "Rock"}]},
    {"no value": 1},
]


@pytest.mark.parametrize(
    ("path", "ok"),
    [
        (["Animal", "Bird"], True),
        (["Animal", "dog"], True),  # written by its alias, as the interface writes it
        (["Animal", "Cat"], True),
        (["Plant"], True),
        (["Other"], True),  # the config's own item
        (["Other", "Rock"], True),  # task children under a config item
        (["Animal", "Dog"], False),
        (["Animal", "Fish"], False),
        (["Mineral"], False),
    ],
)
def test_taxonomy_options_from_task_data_are_checked_with_the_data(path, ok):
    config = parse(TASK_TAXONOMY.format(""))
    result = [item("tax", "t", "taxonomy", {"taxonomy": [path]})]
    errors = config.validate_result(result, {"t": "x", "tree": TREE})
    assert (errors == []) is ok, errors
    assert config.validate_result(result) == []  # without the task data any path of strings goes


def test_taxonomy_from_task_data_with_leafs_only_and_editable():
    leafs = parse(TASK_TAXONOMY.format(' leafsOnly="true"'))
    data = {"t": "x", "tree": TREE}
    assert leafs.validate_result([item("tax", "t", "taxonomy", {"taxonomy": [["Animal"]]})], data) != []
    assert leafs.validate_result([item("tax", "t", "taxonomy", {"taxonomy": [["Animal", "Bird"]]})], data) == []
    editable = parse(TASK_TAXONOMY.format(' isEditable="true"'))
    assert editable.validate_result([item("tax", "t", "taxonomy", {"taxonomy": [["Animal", "Fish"]]})], data) == []
    # a missing or malformed task field offers only the config's items
    fixed = parse(TASK_TAXONOMY.format(""))
    for bad in ({"t": "x"}, {"t": "x", "tree": "Animal"}):
        assert fixed.validate_result([item("tax", "t", "taxonomy", {"taxonomy": [["Animal"]]})], bad) != []
        assert fixed.validate_result([item("tax", "t", "taxonomy", {"taxonomy": [["Other"]]})], bad) == []


def test_allow_nested_choices_take_paths():
    xml = '<View><Text name="t" value="$t"/><Choices name="c" toName="t" allowNested="true" choice="multiple"><Choice value="A"><Choice value="B"/></Choice><Choice value="C"/></Choices></View>'
    nested = parse(xml)
    flat = parse(xml.replace(' allowNested="true"', "").replace('<Choice value="B"/>', ""))
    ok = [item("c", "t", "choices", {"choices": [["A", "B"], ["C"]]})]
    assert nested.validate_result(ok) == []
    assert flat.validate_result([item("c", "t", "choices", {"choices": [["A"], ["C"]]})]) != []
    errors = nested.validate_result([item("c", "t", "choices", {"choices": [["B"]]})])
    assert [e.field for e in errors] == ["value.choices[0]"] and "'B' is not a choice under the top level" in errors[
        0
    ].message


def test_magic_wand_regions_are_the_brush_controls():
    config = parse(
        '<View><Image name="img" value="$image" crossOrigin="anonymous"/>'
        '<BrushLabels name="tag" toName="img"><Label value="Sky"/></BrushLabels>'
        '<MagicWand name="wand" toName="img" defaultThreshold="20" blurRadius="5"/></View>'
    )
    brush = {"format": "rle", "rle": [0, 0, 0, 1, 1, 2], "brushlabels": ["Sky"]}
    assert config.validate_result([item("tag", "img", "brushlabels", brush)]) == []
    (error,) = config.validate_result([item("wand", "img", "magicwand", {})])
    assert error.field == "from_name" and "writes no results" in error.message
    with pytest.raises(Exception, match="works on <Image>"):
        parse('<View><Text name="t" value="$t"/><MagicWand name="w" toName="t"/></View>')
