"""Visual tags: layout and decoration, no data of their own (Header may read ``$key``)."""

from __future__ import annotations

from ..errors import LabelConfigError
from .base import BOOL, CONDITIONAL, DATA_KEY_RE, INT, STR, Enum, Tag, register


class VisualTag(Tag):
    kind = "visual"

    def data_keys(self) -> list[str]:
        return []


@register
class View(VisualTag):
    tag_name = "View"
    attributes = {"style": STR, "className": STR, "idAttr": STR, **CONDITIONAL}


@register
class Header(VisualTag):
    tag_name = "Header"
    attributes = {"value": STR, "size": INT, "style": STR, "underline": BOOL, **CONDITIONAL}

    def data_keys(self) -> list[str]:
        return Tag.data_keys(self)


@register
class Style(VisualTag):
    tag_name = "Style"


@register
class Filter(VisualTag):
    """Search box over the labels of the control named in ``toName``."""

    tag_name = "Filter"
    attributes = {"name": STR, "toName": STR, "hotkey": STR, "minlength": INT, "placeholder": STR}


@register
class Collapse(VisualTag):
    tag_name = "Collapse"
    attributes = {"accordion": BOOL, "bordered": BOOL}


@register
class Panel(VisualTag):
    tag_name = "Panel"
    attributes = {"value": STR}


@register
class Markdown(VisualTag):
    """Markdown text (its own text or ``value="$key"``), rendered sanitised."""

    tag_name = "Markdown"
    attributes = {"value": STR, "style": STR, **CONDITIONAL}

    def data_keys(self) -> list[str]:
        return Tag.data_keys(self)


@register
class Repeater(VisualTag):
    """Its children once per element of ``on="$array"``, ``indexFlag`` (``{{idx}}``) replaced by the
    index in names and values; results name the repeated tags (``labels_0`` for ``labels_{{idx}}``)."""

    tag_name = "Repeater"
    required = ("on",)
    attributes = {"on": STR, "indexFlag": STR, "mode": Enum("scroll", "pagination")}

    @property
    def index_flag(self) -> str:
        return self.node.get("indexFlag") or "{{idx}}"

    def check(self) -> list[LabelConfigError]:
        errors = super().check()
        raw = (self.node.get("on") or "").strip()
        if raw and not DATA_KEY_RE.match(raw):
            errors.append(self.error(f'on must name an array of the task data ("$key"), got {raw!r}', "on"))
        return errors

    def data_keys(self) -> list[str]:
        return DATA_KEY_RE.findall(self.node.get("on") or "")[:1]


@register
class Shortcut(VisualTag):
    """A button (and hotkey) of a ``<TextArea>`` that inserts ``value`` into it."""

    tag_name = "Shortcut"
    required = ("value",)
    attributes = {"value": STR, "alias": STR, "hotkey": STR, "background": STR}

    def check(self) -> list[LabelConfigError]:
        errors = super().check()
        parent = self.parent
        while parent is not None and parent.kind == "visual" and parent.tag_name != "View":
            parent = parent.parent
        if parent is None or parent.tag_name != "TextArea":
            errors.append(self.error("<Shortcut> must be inside <TextArea>"))
        return errors
