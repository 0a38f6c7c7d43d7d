"""Structural rules: each one names the tag, the line and (where it applies) the attribute."""

import pytest

from projects.label_config import LabelConfigError, parse, validate

from .helpers import view

TEXT = '  <Text name="text" value="$text"/>'


def only_error(config_text: str) -> LabelConfigError:
    errors = validate(config_text)
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


def test_valid_config_has_no_errors():
    assert validate(view(TEXT, '  <Choices name="c" toName="text"><Choice value="a"/></Choices>')) == []


def test_parse_raises_the_first_error_and_keeps_all():
    text = view('  <Text name="text"/>', '  <Choices name="c" toName="nope"><Choice value="a"/></Choices>')
    with pytest.raises(LabelConfigError) as err:
        parse(text)
    assert err.value.line == 2
    assert [e.line for e in err.value.errors] == [2, 3]


def test_root_must_be_view():
    error = only_error('<Text name="t" value="$t"/>')
    assert str(error) == 'line 1, <Text name="t">: the root tag must be <View>'


def test_unknown_tag():
    error = only_error(view(TEXT, '  <Sparkles name="s"/>'))
    assert (error.line, error.tag) == (3, "Sparkles")
    assert error.message == "unknown tag <Sparkles>"


def test_dangling_to_name():
    error = only_error(view(TEXT, "", '  <Choices name="x" toName="img"><Choice value="a"/></Choices>'))
    assert str(error) == "line 4, <Choices name=\"x\">: toName 'img' names no object tag"
    assert error.attribute == "toName"


def test_to_name_must_name_an_object_tag():
    error = only_error(
        view(
            TEXT,
            '  <Choices name="a" toName="text"><Choice value="x"/></Choices>',
            '  <Choices name="b" toName="a"><Choice value="x"/></Choices>',
        )
    )
    assert error.line == 4 and "toName 'a' names a <Choices>, not an object tag" in error.message


def test_to_name_must_suit_the_control():
    error = only_error(view(TEXT, '  <RectangleLabels name="r" toName="text"><Label value="x"/></RectangleLabels>'))
    assert error.message == "toName 'text' names a <Text>; <RectangleLabels> works on <Image>, <Pdf>"


def test_one_of_several_to_names_dangling():
    error = only_error(view(TEXT, '  <Choices name="c" toName="text, missing"><Choice value="a"/></Choices>'))
    assert "toName 'missing' names no object tag" in error.message


def test_control_needs_name_and_to_name():
    errors = validate(view(TEXT, '  <Choices><Choice value="a"/></Choices>'))
    assert [e.message for e in errors] == ["attribute name is required", "attribute toName is required"]


def test_pairwise_needs_two_objects():
    error = only_error(view(TEXT, '  <Pairwise name="pw" toName="text"/>'))
    assert error.message == "<Pairwise> needs exactly 2 objects in toName, got 1"


def test_duplicate_names():
    error = only_error(view(TEXT, '  <Choices name="text" toName="text"><Choice value="a"/></Choices>'))
    assert error.line == 3 and error.attribute == "name"
    assert error.message == "name 'text' is already used by <Text> on line 2"


def test_object_needs_name_and_value():
    errors = validate(view('  <Text value="$t"/>', '  <Image name="img"/>'))
    assert [(e.line, e.message) for e in errors] == [
        (2, "attribute name is required"),
        (3, "attribute value (or valueList) is required"),
    ]


def test_empty_label_set():
    error = only_error(view(TEXT, '  <Labels name="ner" toName="text">', "  </Labels>"))
    assert str(error) == 'line 3, <Labels name="ner">: <Labels> has no <Label> inside: add at least one'


def test_dynamic_choices_need_no_items():
    assert validate(view(TEXT, '  <Choices name="c" toName="text" value="$options"/>')) == []


def test_label_item_needs_value_or_alias():
    errors = validate(view(TEXT, '  <Choices name="c" toName="text"><Choice alias="a"/><Choice/></Choices>'))
    assert [e.message for e in errors] == ["<Choice> needs a value (or alias) attribute"]


def test_duplicate_labels_are_a_warning():
    """Label Studio accepts the same label twice (its document-retrieval template has it)."""
    text = view(TEXT, '  <Choices name="c" toName="text"><Choice value="a"/><Choice value="a"/></Choices>')
    assert validate(text) == []
    assert parse(text).warnings == ["line 3, <Choice>: label 'a' appears more than once in <Choices>"]


def test_items_must_sit_in_their_control():
    errors = validate(
        view(TEXT, '  <Label value="x"/>', '  <Choices name="c" toName="text"><Label value="y"/></Choices>')
    )
    assert "<Label> must be inside <Labels> or <RectangleLabels> or <PolygonLabels> ..." in errors[0].message
    assert errors[0].line == 3
    assert any("<Label> does not belong in <Choices>" in e.message for e in errors)


def test_nested_choice_only_in_taxonomy():
    error = only_error(
        view(TEXT, '  <Choices name="c" toName="text"><Choice value="a"><Choice value="b"/></Choice></Choices>')
    )
    assert "nested <Choice> is only allowed in <Taxonomy>" in error.message


@pytest.mark.parametrize(
    ("control", "attribute", "expected"),
    [
        ('<Rating name="r" toName="text" maxRating="ten"/>', "maxRating", "expected an integer >= 1, got 'ten'"),
        ('<Rating name="r" toName="text" maxRating="0"/>', "maxRating", "expected an integer >= 1, got '0'"),
        ('<Number name="n" toName="text" min="low"/>', "min", "expected a number, got 'low'"),
        ('<Number name="n" toName="text" step="inf"/>', "step", "expected a number, got 'inf'"),
        (
            '<Choices name="c" toName="text" required="yes"><Choice value="a"/></Choices>',
            "required",
            'expected "true" or "false"',
        ),
        (
            '<Choices name="c" toName="text" choice="some"><Choice value="a"/></Choices>',
            "choice",
            "expected one of single|single-radio|multiple",
        ),
        (
            '<Labels name="l" toName="text" perRegion="1"><Label value="a"/></Labels>',
            "perRegion",
            'expected "true" or "false"',
        ),
        ('<TextArea name="t" toName="text" visibleWhen="always"/>', "visibleWhen", "expected one of region-selected|"),
        (
            '<DateTime name="d" toName="text" only="date,week"/>',
            "only",
            "expected a comma-separated list of date|time|month|year",
        ),
    ],
)
def test_attribute_types(control, attribute, expected):
    error = only_error(view(TEXT, f"  {control}"))
    assert error.attribute == attribute and error.line == 3
    assert expected in error.message


def test_number_min_above_max():
    error = only_error(view(TEXT, '  <Number name="n" toName="text" min="10" max="1"/>'))
    assert error.message == "attribute min (10) is greater than max (1)"


def test_when_tag_name_must_name_a_control():
    error = only_error(
        view(TEXT, '  <TextArea name="t" toName="text" visibleWhen="choice-selected" whenTagName="nope"/>')
    )
    assert error.message == "whenTagName 'nope' names no control tag"


def test_aliases_case_and_unknown_attributes_are_accepted():
    config = parse(
        '<view><HTML name="h" value="$html" myStyle="x"/><AudioPlus name="a" value="$audio"/>'
        '<choices name="c" toname="h,a"><choice value="x"/></choices></view>'
    )
    assert [o.tag_name for o in config.objects.values()] == ["HyperText", "Audio"]
    assert config.controls["c"].to_names == ["h", "a"]


def test_relations_need_no_name():
    config = parse(
        view(
            TEXT,
            "  <Relations><Relation value='r'/></Relations>",
            '  <Labels name="l" toName="text"><Label value="a"/></Labels>',
        )
    )
    assert config.relation_labels == ["r"] and list(config.controls) == ["l"]


def test_taxonomy_allows_same_leaf_under_different_parents():
    config = parse(
        view(TEXT, '  <Taxonomy name="t" toName="text">', '    <Choice value="A"><Choice value="Other"/></Choice>',
             '    <Choice value="B"><Choice value="Other"/></Choice>', "  </Taxonomy>")
    )  # fmt: skip
    assert config.controls["t"].tree() == {"A": {"Other": {}}, "B": {"Other": {}}}
