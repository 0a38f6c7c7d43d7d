"""Video and time-series tags: ``Video`` + ``VideoRectangle`` / ``TimelineLabels``, ``TimeSeries``
with ``Channel`` children + ``TimeSeriesLabels``. Result shapes are Label Studio's:

- videorectangle ``{framesCount, duration, sequence: [{frame, time, x, y, width, height, rotation,
  enabled}], labels}`` (keyframes; boxes between them are interpolated by the player and exports);
- timelinelabels ``{ranges: [{start, end}], timelinelabels}`` (frame numbers, inclusive);
- timeserieslabels ``{start, end, instant, timeserieslabels}`` (x-axis values: numbers, or times as
  the series formats them).
"""

from __future__ import annotations

from .. import values as v
from ..errors import LabelConfigError
from ..parser import Node
from .base import BOOL, NUMBER, POS_INT, STR, Enum, Num, Tag, register
from .controls import ControlTag
from .objects import ObjectTag
from .regions import LabelsControl

VIDEO = ("Video",)
TIMESERIES = ("TimeSeries",)


@register
class Video(ObjectTag):
    tag_name = "Video"
    data_kind = "url"
    span_kind = "frames"
    attributes = {
        "frameRate": Num(minimum=0.001),
        "sync": STR,
        "height": POS_INT,
        "timelineHeight": POS_INT,
        "muted": BOOL,
        "defaultPlaybackSpeed": Num(minimum=0.25),
        "minPlaybackSpeed": Num(minimum=0.25),
        "maxPlaybackSpeed": Num(minimum=0.25),
    }

    @property
    def frame_rate(self) -> float:
        return float(self.number("frameRate", 24) or 24)


def check_sequence(value: v.Json) -> v.Problems:
    """A videorectangle's keyframes: percent box, frame >= 0 (integer), time >= 0, ordered frames."""
    problems = v.expect_number(value, "framesCount", 0, integer=True, required=False)
    problems += v.expect_number(value, "duration", 0, required=False)
    sequence = value.get("sequence")
    if not isinstance(sequence, list) or not sequence:
        return [*problems, ("value.sequence", f"expected a non-empty list of keyframes, got {v.show(sequence)}")]
    seen: set[int] = set()
    for i, frame in enumerate(sequence):
        field = f"value.sequence[{i}]"
        if not isinstance(frame, dict):
            problems.append((field, f"expected an object, got {v.show(frame)}"))
            continue
        inner = v.check_rectangle(frame)
        inner += v.expect_number(frame, "frame", 0, integer=True)
        inner += v.expect_number(frame, "time", 0, required=False)
        if "enabled" in frame and not isinstance(frame["enabled"], bool):
            inner.append(("value.enabled", f"expected true or false, got {v.show(frame['enabled'])}"))
        problems += [(field + sub[len("value") :], message) for sub, message in inner]
        if not inner:
            if frame["frame"] in seen:
                problems.append((f"{field}.frame", f"frame {frame['frame']} has two keyframes"))
            seen.add(frame["frame"])
    return problems


def check_ranges(value: v.Json) -> v.Problems:
    ranges = value.get("ranges")
    if not isinstance(ranges, list) or not ranges:
        return [("value.ranges", f"expected a non-empty list of {{start, end}} frame ranges, got {v.show(ranges)}")]
    problems: v.Problems = []
    for i, span in enumerate(ranges):
        field = f"value.ranges[{i}]"
        if not isinstance(span, dict):
            problems.append((field, f"expected an object, got {v.show(span)}"))
            continue
        inner = v.expect_number(span, "start", 0) + v.expect_number(span, "end", 0)
        if not inner and span["start"] > span["end"]:
            inner.append(("value.end", f"expected end >= start ({span['start']:g}), got {span['end']:g}"))
        problems += [(field + sub[len("value") :], message) for sub, message in inner]
    return problems


def check_series_span(value: v.Json) -> v.Problems:
    """start/end: numbers or (formatted time) strings, of one kind; instant: a boolean, start == end."""
    problems: v.Problems = []
    for key in ("start", "end"):
        got = value.get(key)
        if key not in value:
            problems.append((f"value.{key}", "is required"))
        elif not (v.is_number(got) or (isinstance(got, str) and got.strip())):
            problems.append((f"value.{key}", f"expected a number or a time string, got {v.show(got)}"))
    instant = value.get("instant", False)
    if not isinstance(instant, bool):
        problems.append(("value.instant", f"expected true or false, got {v.show(instant)}"))
    if problems:
        return problems
    start, end = value["start"], value["end"]
    if type(start) is not type(end) and not (v.is_number(start) and v.is_number(end)):
        return [("value.end", f"expected the same kind of value as start ({v.show(start)}), got {v.show(end)}")]
    if start > end:
        return [("value.end", f"expected end >= start ({v.show(start)}), got {v.show(end)}")]
    if instant and start != end:
        return [("value.end", f"an instant region has end == start ({v.show(start)}), got {v.show(end)}")]
    return []


@register
class VideoRectangle(LabelsControl):
    """Boxes tracked over frames; the labels come from a ``Labels`` on the same video (or inside)."""

    tag_name = "VideoRectangle"
    object_types = VIDEO
    item_tag = "Label"
    items_optional = True
    shape = staticmethod(check_sequence)

    @property
    def result_type(self) -> str:
        return "videorectangle"

    def allowed_labels(self) -> list[str] | None:
        """Own labels, else those of every Labels on the same video (Label Studio's template)."""
        own = super().allowed_labels()
        if own:
            return own
        root: Tag = self
        while root.parent is not None:
            root = root.parent
        found: list[str] = []
        for tag in root.descendants():
            if isinstance(tag, ControlTag) and tag.tag_name == "Labels" and set(tag.to_names) & set(self.to_names):
                if tag.dynamic_labels:
                    return None
                found.extend(tag.labels)
        return found

    def check_value(
        self, value: v.Json, result_type: str, target: ObjectTag | None, text: str | None = None
    ) -> v.Problems:
        problems = check_sequence(value)
        if "labels" in value:
            single = (self.node.get("choice") or "").strip() == "single"
            problems += v.check_label_list(value, "labels", self.allowed_labels(), single=single)
        return problems


@register
class TimelineLabels(LabelsControl):
    tag_name = "TimelineLabels"
    object_types = VIDEO
    shape = staticmethod(check_ranges)


@register
class TimeSeries(ObjectTag):
    tag_name = "TimeSeries"
    span_kind = "series"
    data_kind = "series"
    attributes = {
        "valueType": Enum("json", "url"),
        "sep": STR,
        "timeColumn": STR,
        "timeFormat": STR,
        "timeDisplayFormat": STR,
        "overviewChannels": STR,
        "overviewWidth": STR,
        "fixedScale": BOOL,
        "multiaxis": BOOL,
        "sync": STR,
        "cursorColor": STR,
    }

    @property
    def channels(self) -> list[Channel]:
        return [child for child in self.descendants() if isinstance(child, Channel)]

    def check(self) -> list[LabelConfigError]:
        errors = super().check()
        sep = self.node.get("sep")
        if sep is not None and len(sep.replace("\\t", "\t")) != 1:
            errors.append(self.error(f"attribute sep: expected one character, got {sep!r}", "sep"))
        if not self.channels:
            errors.append(self.error("<TimeSeries> has no <Channel> inside: add at least one"))
        columns = [c.node.get("column") for c in self.channels]
        overview = [c.strip() for c in (self.node.get("overviewChannels") or "").split(",") if c.strip()]
        for name in overview:
            if name not in columns:
                errors.append(
                    self.error(f"overviewChannels names {name!r}, not a <Channel> column; expected one of "
                               f"{v.show(columns)}", "overviewChannels")
                )  # fmt: skip
        return errors


@register
class Channel(Tag):
    """One plotted column of a ``TimeSeries`` (no name: it is addressed by ``column``)."""

    tag_name = "Channel"
    kind = "channel"
    required = ("column",)
    attributes = {
        "column": STR,
        "legend": STR,
        "units": STR,
        "displayFormat": STR,
        "strokeColor": STR,
        "strokeWidth": Num(minimum=0),
        "markerColor": STR,
        "markerSize": Num(minimum=0),
        "markerSymbol": Enum("circle", "cross", "diamond", "square", "star", "triangle", "wye", "none"),
        "height": POS_INT,
        "dataRange": STR,
        "showAxis": BOOL,
        "fixedScale": BOOL,
        "timeRange": STR,
    }

    def __init__(self, node: Node, parent: Tag | None = None):
        super().__init__(node, parent)

    def data_keys(self) -> list[str]:
        return []

    def check(self) -> list[LabelConfigError]:
        errors = super().check()
        parent = self.parent
        while parent is not None and parent.kind == "visual":
            parent = parent.parent
        if not isinstance(parent, TimeSeries):
            errors.append(self.error("<Channel> must be inside <TimeSeries>"))
        return errors


@register
class TimeSeriesLabels(LabelsControl):
    tag_name = "TimeSeriesLabels"
    object_types = TIMESERIES
    shape = staticmethod(check_series_span)
    attributes = {**LabelsControl.attributes, "opacity": NUMBER}
