"""Object tags: they show task data, bound with ``value="$key"``."""

from __future__ import annotations

import re
from functools import cached_property
from typing import ClassVar

from ..errors import LabelConfigError
from .base import BOOL, CONDITIONAL, DATA_KEY_RE, INT, NUMBER, STR, Enum, Tag, register

VALUE_TYPE = Enum("text", "url")
ENCODING = Enum("none", "base64", "base64unicode")
SAVE_TEXT = Enum("yes", "no")


class ObjectTag(Tag):
    kind = "object"
    required: ClassVar[tuple[str, ...]] = ("name", "value")
    attributes = {"name": STR, "value": STR, **CONDITIONAL}
    #: how a span on this object is addressed in results: offsets | xpath | paragraph | time | None
    span_kind: ClassVar[str | None] = None
    #: what the bound data is: text | html | url | paragraphs | table | list
    data_kind: ClassVar[str] = "text"

    @cached_property  # read once per task on imports: keep the regex off the hot path
    def value_key(self) -> str | None:
        """The data key of ``value`` when it is exactly ``$key``, else None (literal or template)."""
        raw = (self.node.get("value") or "").strip()
        match = DATA_KEY_RE.fullmatch(raw)
        return match.group(1) if match else None

    @property
    def input_value(self) -> str:
        """Label Studio's ``inputs[].value``: the value attribute without its leading ``$``."""
        return (self.node.get("value") or "").strip().lstrip("$")

    def value_is_url(self) -> bool:
        return self.data_kind == "url" or (self.node.get("valueType") or "").strip() == "url"

    def list_keys(self) -> list[str]:
        """Data keys that hold a list of values (``<Image valueList="$pages">``)."""
        return []

    def url_keys(self) -> list[str]:
        """Data keys that must hold a URL (a string) for this tag."""
        if not self.value_is_url():
            return []
        raw = self.node.get("value") or ""  # "$images[0].url" (in a Repeater) is a path: not checked here
        return [m.group(1) for m in DATA_KEY_RE.finditer(raw) if not re.match(r"\[|\.\w", raw[m.end() :])]


@register
class Text(ObjectTag):
    tag_name = "Text"
    span_kind = "offsets"
    attributes = {
        "valueType": VALUE_TYPE,
        "saveTextResult": SAVE_TEXT,
        "encoding": ENCODING,
        "selectionEnabled": BOOL,
        "granularity": Enum("symbol", "word", "sentence", "paragraph"),
        "showLabels": BOOL,
        "highlightColor": STR,
    }


@register
class HyperText(ObjectTag):
    tag_name = "HyperText"
    aliases = ("HTML",)
    span_kind = "xpath"
    data_kind = "html"
    attributes = {
        "valueType": VALUE_TYPE,
        "saveTextResult": SAVE_TEXT,
        "encoding": ENCODING,
        "selectionEnabled": BOOL,
        "clickableLinks": BOOL,
        "inline": BOOL,
        "granularity": Enum("symbol", "word", "sentence", "paragraph"),
        "showLabels": BOOL,
    }


@register
class Image(ObjectTag):
    tag_name = "Image"
    data_kind = "url"
    required = ("name",)
    attributes = {
        "valueList": STR,
        "width": STR,
        "maxWidth": STR,
        "zoom": BOOL,
        "negativeZoom": BOOL,
        "zoomBy": NUMBER,
        "grid": BOOL,
        "gridSize": INT,
        "zoomControl": BOOL,
        "brightnessControl": BOOL,
        "contrastControl": BOOL,
        "rotateControl": BOOL,
        "crosshair": BOOL,
        "smoothing": BOOL,
        "horizontalAlignment": Enum("left", "center", "right"),
        "verticalAlignment": Enum("top", "center", "bottom"),
        "defaultZoom": Enum("fit", "original", "auto"),
        "crossOrigin": Enum("none", "anonymous", "use-credentials"),
    }

    def check(self) -> list[LabelConfigError]:
        errors = super().check()
        if not (self.node.get("value") or "").strip() and not (self.node.get("valueList") or "").strip():
            errors.append(self.error("attribute value (or valueList) is required", "value"))
        return errors

    def list_keys(self) -> list[str]:
        return DATA_KEY_RE.findall(self.node.get("valueList") or "")

    def url_keys(self) -> list[str]:
        return super().url_keys()  # data_kind "url": the value's keys (not a Repeater's "$pages[0].url")


@register
class Pdf(ObjectTag):
    """A PDF document (URL) rendered page by page in the browser; regions on it carry ``pageIndex``."""

    tag_name = "Pdf"
    data_kind = "url"
    attributes = {"zoom": BOOL, "zoomControl": BOOL, "width": STR, "maxWidth": STR}


@register
class Audio(ObjectTag):
    tag_name = "Audio"
    aliases = ("AudioPlus",)
    data_kind = "url"
    span_kind = "time"
    attributes = {
        "hotkey": STR,
        "sync": STR,
        "speed": BOOL,
        "volume": BOOL,
        "zoom": BOOL,
        "height": INT,
        "waveHeight": INT,
        "cursorWidth": NUMBER,
        "defaultSpeed": NUMBER,
        "defaultVolume": NUMBER,
        "defaultZoom": NUMBER,
        "splitchannels": BOOL,
    }


@register
class Paragraphs(ObjectTag):
    tag_name = "Paragraphs"
    span_kind = "paragraph"
    data_kind = "paragraphs"
    attributes = {
        "valueType": Enum("json", "url"),
        "audioUrl": STR,
        "sync": STR,
        "showPlayer": BOOL,
        "saveTextResult": SAVE_TEXT,
        "layout": Enum("none", "dialogue"),
        "nameKey": STR,
        "textKey": STR,
        "contextScroll": BOOL,
    }

    @property
    def name_key(self) -> str:
        return self.node.get("nameKey") or "author"

    @property
    def text_key(self) -> str:
        return self.node.get("textKey") or "text"

    def url_keys(self) -> list[str]:
        keys = super().url_keys()
        keys.extend(DATA_KEY_RE.findall(self.node.get("audioUrl") or ""))
        return keys


@register
class Table(ObjectTag):
    tag_name = "Table"
    data_kind = "table"
    attributes = {"valueType": Enum("json", "url")}


@register
class List(ObjectTag):
    """Items to rank with ``Ranker``: a list of ``{id, title, body}`` dicts."""

    tag_name = "List"
    data_kind = "list"
    attributes = {"title": STR}
