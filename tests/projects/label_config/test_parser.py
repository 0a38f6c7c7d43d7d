"""XML -> nodes: line numbers, not-XML errors, and the defusedxml protections."""

import pytest

from projects.label_config import LabelConfigError, parse, validate
from projects.label_config.parser import parse_xml

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<View><Text name="t" value="&lol9;"/></View>
"""


def test_nodes_keep_lines_attributes_and_text():
    root = parse_xml('<View>\n  <Style>.a { color: red }</Style>\n  <Text name="t" value="$t"/>\n</View>')
    style, text = root.children
    assert (root.tag, root.line) == ("View", 1)
    assert (style.line, style.text) == (2, ".a { color: red }")
    assert (text.line, text.get("name"), text.get("VALUE")) == (3, "t", "$t")
    assert text.parent is root


def test_not_xml_reports_the_parser_line():
    with pytest.raises(LabelConfigError) as err:
        parse('<View>\n  <Text name="t" value="$t">\n</View>')
    assert err.value.line == 3
    assert str(err.value).startswith("line 3: not well-formed XML: mismatched tag")


@pytest.mark.parametrize("text", ["", "   ", "just text", b"\xff\xfe<View/>"])
def test_empty_or_garbage_is_an_error(text):
    with pytest.raises(LabelConfigError):
        parse(text)


def test_billion_laughs_is_rejected_before_expansion():
    with pytest.raises(LabelConfigError) as err:
        parse(BILLION_LAUGHS)
    assert err.value.line == 2
    assert "DOCTYPE declarations are not allowed" in str(err.value)
    assert "entity-expansion" in str(err.value)


def test_external_entity_is_rejected():
    xxe = '<?xml version="1.0"?>\n<!DOCTYPE v [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<View>&x;</View>'
    errors = validate(xxe)
    assert len(errors) == 1 and "DOCTYPE" in errors[0].message


def test_undeclared_entity_is_not_xml():
    with pytest.raises(LabelConfigError, match="undefined entity"):
        parse('<View><Text name="t" value="&foo;"/></View>')


def test_bytes_input_is_decoded():
    config = parse(b'<View><Text name="t" value="$t"/></View>')
    assert config.data_keys == ["t"]


def test_error_as_dict_for_api_bodies():
    errors = validate('<View>\n<Text name="t"/>\n</View>')
    assert errors[0].as_dict() == {
        "message": "attribute value is required",
        "detail": 'line 2, <Text name="t">: attribute value is required',
        "tag": "Text",
        "name": "t",
        "line": 2,
        "attribute": "value",
    }
