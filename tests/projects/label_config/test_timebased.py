"""Video and time-series tags: attributes, structure, and result values (Label Studio's shapes)."""

import pytest

from projects.label_config import parse
from projects.label_config.data import validate_task_data

from .helpers import item, view

VIDEO = parse((__import__("pathlib").Path(__file__).parents[2] / "data" / "configs" / "video.xml").read_text())
SERIES = parse((__import__("pathlib").Path(__file__).parents[2] / "data" / "configs" / "timeseries.xml").read_text())

KEY = {"frame": 1, "time": 0.0, "x": 10, "y": 10, "width": 20, "height": 20, "rotation": 0, "enabled": True}
TRACK = {"framesCount": 100, "duration": 4.0, "sequence": [KEY, {**KEY, "frame": 11, "time": 0.4, "x": 30}]}


def errors(config, *items):
    return [(e.index, e.field, e.message) for e in config.validate_result(list(items))]


def refused(xml: str) -> list[str]:
    with pytest.raises(ValueError) as caught:
        parse(xml)
    return str(caught.value)


def test_video_results_like_label_studios():
    assert errors(VIDEO, item("box", "video", "videorectangle", {**TRACK, "labels": ["Car"]})) == []
    assert errors(VIDEO, item("box", "video", "videorectangle", TRACK)) == []  # labels are optional
    assert errors(VIDEO, item("videoLabels", "video", "labels", {**TRACK, "labels": ["Person"]})) == []
    ranges = {"ranges": [{"start": 3, "end": 9}], "timelinelabels": ["Moving"]}
    assert errors(VIDEO, item("timeline", "video", "timelinelabels", ranges)) == []


@pytest.mark.parametrize(
    ("name", "type_", "value", "field", "fragment"),
    [
        ("box", "videorectangle", {**TRACK, "labels": ["Bus"]}, "value.labels[0]", "Bus"),
        ("box", "videorectangle", {**TRACK, "sequence": []}, "value.sequence", "non-empty list of keyframes"),
        ("box", "videorectangle", {**TRACK, "sequence": [{**KEY, "x": 95}]}, "value.sequence[0].width", "<= 100"),
        ("box", "videorectangle", {**TRACK, "sequence": [{**KEY, "frame": 1.5}]}, "value.sequence[0].frame", "integer"),
        ("box", "videorectangle", {**TRACK, "sequence": [KEY, KEY]}, "value.sequence[1].frame", "two keyframes"),
        ("box", "videorectangle", {**TRACK, "sequence": [{**KEY, "enabled": "yes"}]}, "value.sequence[0].enabled", "true or false"),
        ("box", "videorectangle", {**TRACK, "framesCount": -1}, "value.framesCount", ">= 0"),
        ("timeline", "timelinelabels", {"ranges": [], "timelinelabels": ["Still"]}, "value.ranges", "non-empty"),
        ("timeline", "timelinelabels", {"ranges": [{"start": 9, "end": 3}], "timelinelabels": ["Still"]}, "value.ranges[0].end", "end >= start"),
        ("timeline", "timelinelabels", {"ranges": [{"start": 1, "end": 3}], "timelinelabels": ["Fast"]}, "value.timelinelabels[0]", "Fast"),
    ],
)  # fmt: skip
def test_wrong_video_results(name, type_, value, field, fragment):
    found = errors(VIDEO, item(name, "video", type_, value))
    assert found and found[0][1] == field and fragment in found[0][2], found


def test_time_series_results():
    ok = {"start": 1.5, "end": 4, "instant": False, "timeserieslabels": ["Run"]}
    assert errors(SERIES, item("label", "ts", "timeserieslabels", ok)) == []
    times = {
        "start": "2024-01-01 00:00:01",
        "end": "2024-01-01 00:00:05",
        "instant": False,
        "timeserieslabels": ["Run"],
    }
    assert errors(SERIES, item("label", "ts", "timeserieslabels", times)) == []
    instant = {"start": 3, "end": 3, "instant": True, "timeserieslabels": ["Walk"]}
    assert errors(SERIES, item("label", "ts", "timeserieslabels", instant)) == []
    bad = [
        ({**ok, "end": 1}, "value.end", "end >= start"),
        ({**ok, "instant": True}, "value.end", "instant region"),
        ({**ok, "start": None}, "value.start", "number or a time string"),
        ({**ok, "end": "later"}, "value.end", "same kind"),
        ({**ok, "timeserieslabels": ["Fly"]}, "value.timeserieslabels[0]", "Fly"),
    ]
    for value, field, fragment in bad:
        found = errors(SERIES, item("label", "ts", "timeserieslabels", value))
        assert found and found[0][1] == field and fragment in found[0][2], (value, found)


def test_precise_config_errors():
    assert "attribute frameRate: expected a number >= 0.001, got 'fast'" in refused(
        view('<Video name="v" value="$v" frameRate="fast"/>')
    )
    assert "attribute timelineHeight" in refused(view('<Video name="v" value="$v" timelineHeight="-3"/>'))
    assert "<TimeSeries> has no <Channel> inside" in refused(view('<TimeSeries name="ts" value="$ts"/>'))
    assert "overviewChannels names 'z'" in refused(
        view('<TimeSeries name="ts" value="$ts" overviewChannels="z"><Channel column="a"/></TimeSeries>')
    )
    assert "attribute column is required" in refused(view('<TimeSeries name="ts" value="$ts"><Channel/></TimeSeries>'))
    assert "<Channel> must be inside <TimeSeries>" in refused(view('<Channel column="a"/>'))
    assert "attribute fixedScale" in refused(
        view('<TimeSeries name="ts" value="$ts" fixedScale="maybe"><Channel column="a"/></TimeSeries>')
    )
    assert "<VideoRectangle> works on <Video>" in refused(
        view('<Image name="i" value="$i"/>', '<VideoRectangle name="b" toName="i"/>')
    )
    assert "<TimeSeriesLabels> works on <TimeSeries>" in refused(
        view(
            '<Video name="v" value="$v"/>',
            '<TimeSeriesLabels name="l" toName="v"><Label value="A"/></TimeSeriesLabels>',
        )
    )


def test_task_data():
    assert validate_task_data(VIDEO, {"video": "/data/upload/1/clip.mp4"}) == []
    assert "must be a URL" in validate_task_data(VIDEO, {"video": "clip"})[0]
    inline = parse(view('<TimeSeries name="ts" value="$ts"><Channel column="a"/></TimeSeries>'))
    assert validate_task_data(inline, {"ts": {"time": [0, 1], "a": [1.0, 2.0]}}) == []
    assert "object of columns" in validate_task_data(inline, {"ts": [1, 2]})[0]
    assert "must be a URL" in validate_task_data(SERIES, {"csv": 5})[0]
