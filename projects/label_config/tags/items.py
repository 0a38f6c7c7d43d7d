"""Label items: the choices and labels a control offers."""

from __future__ import annotations

from .base import BOOL, POS_INT, STR, Enum, ItemTag, register


@register
class Choice(ItemTag):
    """A choice of ``Choices``, or a node of a ``Taxonomy`` tree (nested Choice = child)."""

    tag_name = "Choice"
    attributes = {"value": STR, "alias": STR, "selected": BOOL, "hotkey": STR, "hint": STR, "html": STR}
    parents = ("Choices", "Taxonomy")


@register
class Label(ItemTag):
    tag_name = "Label"
    attributes = {
        "value": STR,
        "alias": STR,
        "selected": BOOL,
        "maxUsages": POS_INT,
        "hotkey": STR,
        "background": STR,
        "selectedColor": STR,
        "granularity": Enum("symbol", "word", "sentence", "paragraph"),
        "hint": STR,
    }


@register
class Relation(ItemTag):
    tag_name = "Relation"
    attributes = {"value": STR, "alias": STR, "background": STR, "hotkey": STR}


@register
class Bucket(ItemTag):
    """A column of ``Ranker``; results key items by the bucket's ``name``."""

    tag_name = "Bucket"
    required = ("name",)
    attributes = {"name": STR, "title": STR, "default": BOOL}

    @property
    def label_value(self) -> str | None:
        return self.node.get("name")
