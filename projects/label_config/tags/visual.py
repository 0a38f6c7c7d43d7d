"""Visual tags: layout and decoration, no data of their own (Header may read ``$key``)."""

from __future__ import annotations

from .base import BOOL, CONDITIONAL, INT, STR, Tag, register


class VisualTag(Tag):
    kind = "visual"

    def data_keys(self):
        return []


@register
class View(VisualTag):
    tag_name = "View"
    attributes = {"style": STR, "className": STR, "idAttr": STR, **CONDITIONAL}


@register
class Header(VisualTag):
    tag_name = "Header"
    attributes = {"value": STR, "size": INT, "style": STR, "underline": BOOL, **CONDITIONAL}

    def data_keys(self):
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

    def data_keys(self):
        return Tag.data_keys(self)
