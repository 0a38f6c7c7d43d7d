"""Region controls: labeled spans and shapes (``*Labels``) and the unlabeled shape tools."""

from __future__ import annotations

from typing import ClassVar

from .. import values as v
from .base import BOOL, NUMBER, POS_INT, STR, Enum, register
from .controls import ControlTag
from .objects import ObjectTag

IMAGE = ("Image", "Pdf")
SHAPE_ATTRS = {
    "opacity": NUMBER,
    "fillColor": STR,
    "strokeColor": STR,
    "strokeWidth": NUMBER,
    "fillOpacity": NUMBER,
    "canRotate": BOOL,
    "snap": Enum("pixel", "none"),
    "pointSize": Enum("small", "medium", "large"),
    "pointStyle": Enum("rectangle", "circle"),
    "smart": BOOL,
}


def _page(value: v.Json, target: ObjectTag | None) -> v.Problems:
    """Regions on a <Pdf> name their page: ``value.pageIndex``, a 0-based page number."""
    if target is None or target.tag_name != "Pdf":
        return []
    page = value.get("pageIndex")
    if page is None:
        return [("value.pageIndex", "is required on a <Pdf>: the 0-based page number the region is on")]
    if isinstance(page, bool) or not isinstance(page, int) or page < 0:
        return [("value.pageIndex", f"expected the 0-based page number (an integer >= 0), got {v.show(page)}")]
    return []


def _span(value: v.Json, target: ObjectTag | None, text: str | None) -> v.Problems:
    return v.check_span(value, target.span_kind if target is not None else None, text)


class ShapeTool(ControlTag):
    """An unlabeled drawing tool (Rectangle, Polygon, ...); results carry only the geometry."""

    object_types: ClassVar[tuple[str, ...] | None] = IMAGE
    attributes = SHAPE_ATTRS

    @staticmethod
    def shape(value: v.Json) -> v.Problems:
        """The region's geometry check (subclasses: ``values.check_rectangle`` ...)."""
        return []

    def check_value(
        self, value: v.Json, result_type: str, target: ObjectTag | None, text: str | None = None
    ) -> v.Problems:
        return type(self).shape(value) + _page(value, target)


class LabelsControl(ControlTag):
    """A control whose label items (``Label``) tag regions; the labels are in ``value[<type>]``."""

    item_tag = "Label"
    attributes = {
        **SHAPE_ATTRS,
        "choice": Enum("single", "multiple"),
        "maxUsages": POS_INT,
        "value": STR,
        "granularity": Enum("symbol", "word", "sentence", "paragraph"),
    }

    @staticmethod
    def shape(value: v.Json) -> v.Problems:
        """The region's geometry check (subclasses: ``values.check_rectangle`` ...)."""
        return []

    def region_problems(self, value: v.Json, target: ObjectTag | None, text: str | None) -> v.Problems:
        return type(self).shape(value) + _page(value, target)

    def check_value(
        self, value: v.Json, result_type: str, target: ObjectTag | None, text: str | None = None
    ) -> v.Problems:
        problems = self.region_problems(value, target, text)
        if result_type == self.result_type or self.result_type in value:
            single = (self.node.get("choice") or "").strip() == "single"
            problems += v.check_label_list(value, self.result_type, self.allowed_labels(), single=single)
        return problems


@register
class Labels(LabelsControl):
    """Spans of text and audio; on an <Image> (Label Studio's OCR template) the labels of regions
    drawn with the image's tools (Rectangle, Polygon...), whose geometry the value carries."""

    tag_name = "Labels"
    object_types = ("Text", "HyperText", "Paragraphs", "Audio", "Video", *IMAGE)

    def region_problems(self, value: v.Json, target: ObjectTag | None, text: str | None) -> v.Problems:
        target_tag = target.tag_name if target is not None else None
        if target_tag == "Video":  # the labels of a VideoRectangle track
            from .timebased import check_sequence

            return check_sequence(value) if "sequence" in value else []
        if target_tag in IMAGE:
            return []
        return _span(value, target, text)


@register
class ParagraphLabels(LabelsControl):
    tag_name = "ParagraphLabels"
    object_types = ("Paragraphs",)

    def region_problems(self, value: v.Json, target: ObjectTag | None, text: str | None) -> v.Problems:
        return _span(value, target, text)


@register
class HyperTextLabels(LabelsControl):
    tag_name = "HyperTextLabels"
    object_types = ("HyperText",)

    def region_problems(self, value: v.Json, target: ObjectTag | None, text: str | None) -> v.Problems:
        return _span(value, target, text)


@register
class RectangleLabels(LabelsControl):
    tag_name = "RectangleLabels"
    object_types = IMAGE
    extra_result_types = ("rectangle",)
    shape = staticmethod(v.check_rectangle)


@register
class OcrLabels(LabelsControl):
    """Labeled boxes on a <Pdf> page (or an <Image>): rectangles whose value names the page."""

    tag_name = "OcrLabels"
    object_types = IMAGE
    extra_result_types = ("rectangle",)
    shape = staticmethod(v.check_rectangle)


@register
class PolygonLabels(LabelsControl):
    tag_name = "PolygonLabels"
    object_types = IMAGE
    extra_result_types = ("polygon",)
    shape = staticmethod(v.check_polygon)


@register
class KeyPointLabels(LabelsControl):
    tag_name = "KeyPointLabels"
    object_types = IMAGE
    extra_result_types = ("keypoint",)
    shape = staticmethod(v.check_keypoint)


@register
class EllipseLabels(LabelsControl):
    tag_name = "EllipseLabels"
    object_types = IMAGE
    extra_result_types = ("ellipse",)
    shape = staticmethod(v.check_ellipse)


@register
class BrushLabels(LabelsControl):
    tag_name = "BrushLabels"
    object_types = ("Image",)
    extra_result_types = ("brush",)
    shape = staticmethod(v.check_brush)


@register
class Rectangle(ShapeTool):
    tag_name = "Rectangle"
    shape = staticmethod(v.check_rectangle)


@register
class Polygon(ShapeTool):
    tag_name = "Polygon"
    shape = staticmethod(v.check_polygon)


@register
class KeyPoint(ShapeTool):
    tag_name = "KeyPoint"
    shape = staticmethod(v.check_keypoint)


@register
class Ellipse(ShapeTool):
    tag_name = "Ellipse"
    shape = staticmethod(v.check_ellipse)


@register
class Brush(ShapeTool):
    tag_name = "Brush"
    object_types = ("Image",)
    shape = staticmethod(v.check_brush)


@register
class MagicWand(ControlTag):
    """A flood-fill tool for brush masks on an Image: what it selects becomes a region of the
    image's ``BrushLabels``/``Brush`` (an ordinary RLE ``brushlabels`` result), never a result of its own."""

    tag_name = "MagicWand"
    object_types = ("Image",)
    attributes = {"opacity": NUMBER, "blurRadius": NUMBER, "defaultThreshold": NUMBER}

    @property
    def result_types(self) -> tuple[str, ...]:
        return ()
