"""Visual tags: Repeater (names and values with the index flag; results name the repeated tags),
Shortcut inside TextArea, Markdown, Collapse/Panel, Filter."""

import pytest

from projects.label_config import parse, sample_task
from projects.label_config.data import validate_task_data

REPEATER = """<View>
  <Repeater on="$pages" indexFlag="{{idx}}" mode="pagination">
    <Image name="page_{{idx}}" value="$pages[{{idx}}].url"/>
    <RectangleLabels name="box_{{idx}}" toName="page_{{idx}}"><Label value="Title"/></RectangleLabels>
    <TextArea name="note_{{idx}}" toName="page_{{idx}}"><Shortcut value="[noise]" alias="Noise" hotkey="ctrl+1"/></TextArea>
  </Repeater>
  <Collapse accordion="true"><Panel value="Help"><Markdown value="$help"/></Panel></Collapse>
  <Filter name="f" toName="box_{{idx}}" minlength="1"/>
</View>"""


def box(index, label="Title"):
    value = {"x": 1, "y": 2, "width": 3, "height": 4, "rotation": 0, "rectanglelabels": [label]}
    return {
        "id": f"b{index}",
        "from_name": f"box_{index}",
        "to_name": f"page_{index}",
        "type": "rectanglelabels",
        "value": value,
    }


def test_repeater_config_and_results():
    config = parse(REPEATER)
    assert config.data_keys == ["help", "pages"]
    assert config.validate_result([box(0), box(12)]) == []
    errors = config.validate_result(
        [box(1, "Nope"), {**box(2), "to_name": "page_x"}, {**box(3), "from_name": "boxes_3"}]
    )
    assert [(e.index, e.field) for e in errors] == [(0, "value.rectanglelabels[0]"), (1, "to_name"), (2, "from_name")]
    assert validate_task_data(config, {"pages": [{"url": "https://example.com/a.png"}], "help": "**x**"}) == []
    sample = sample_task(config)
    assert sample["pages"] == [{"url": "/static/samples/sample.jpg"}] * 2 and validate_task_data(config, sample) == []
    assert "must be a list (<Repeater on>)" in validate_task_data(config, {"pages": "x", "help": ""})[0]


@pytest.mark.parametrize(
    ("config", "error"),
    [
        ("<View><Repeater><Text name='t' value='$t'/></Repeater></View>", "attribute on is required"),
        ("<View><Repeater on='pages'><Text name='t' value='$t'/></Repeater></View>", "on must name an array"),
        ("<View><Repeater on='$p' mode='grid'/></View>", "attribute mode: expected one of scroll|pagination"),
        ("<View><Text name='t' value='$t'/><Shortcut value='x'/></View>", "<Shortcut> must be inside <TextArea>"),
        (
            "<View><Text name='t' value='$t'/><TextArea name='a' toName='t'><Shortcut/></TextArea></View>",
            "value is required",
        ),
    ],
)
def test_visual_tag_errors(config, error):
    with pytest.raises(ValueError) as info:
        parse(config)
    assert error in str(info.value)
