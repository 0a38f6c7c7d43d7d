"""Base tag classes, attribute types and the tag registry (tag name -> class)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import ClassVar

from ..errors import LabelConfigError
from ..parser import Node

DATA_KEY_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
#: What ``Attr.convert`` makes of an attribute's text.
AttrValue = str | bool | int | float


# --- attribute types -------------------------------------------------------------------------
class Attr:
    """An attribute's type: ``check(raw)`` returns an error message or None; ``convert`` parses it."""

    description = "a string"

    def check(self, raw: str) -> str | None:
        return None

    def convert(self, raw: str) -> AttrValue:
        return raw


class Bool(Attr):
    description = '"true" or "false"'

    def check(self, raw: str) -> str | None:
        return None if raw.strip().lower() in ("true", "false") else f"expected {self.description}, got {raw!r}"

    def convert(self, raw: str) -> bool:
        return raw.strip().lower() == "true"


class Num(Attr):
    def __init__(self, integer: bool = False, minimum: float | None = None):
        self.integer = integer
        self.minimum = minimum
        self.description = "an integer" if integer else "a number"
        if minimum is not None:
            self.description += f" >= {minimum:g}"

    def convert(self, raw: str) -> int | float:
        raw = raw.strip()
        if self.integer:
            return int(raw)
        value = float(raw)
        return int(value) if value.is_integer() and re.fullmatch(r"[+-]?\d+", raw) else value

    def check(self, raw: str) -> str | None:
        try:
            value = self.convert(raw)
        except ValueError:
            return f"expected {self.description}, got {raw!r}"
        if isinstance(value, float) and not math.isfinite(value):
            return f"expected {self.description}, got {raw!r}"
        if self.minimum is not None and value < self.minimum:
            return f"expected {self.description}, got {raw!r}"
        return None


class Enum(Attr):
    def __init__(self, *choices: str, multi: bool = False):
        self.choices = choices
        self.multi = multi
        joined = "|".join(choices)
        self.description = f"a comma-separated list of {joined}" if multi else f"one of {joined}"

    def check(self, raw: str) -> str | None:
        values = [v.strip() for v in raw.split(",")] if self.multi else [raw.strip()]
        bad = [v for v in values if v not in self.choices]
        return f"expected {self.description}, got {raw!r}" if bad else None


STR = Attr()
BOOL = Bool()
INT = Num(integer=True)
POS_INT = Num(integer=True, minimum=1)
NUMBER = Num()
VISIBLE_WHEN = Enum("region-selected", "no-region-selected", "choice-selected", "choice-unselected")
CONDITIONAL = {
    "visibleWhen": VISIBLE_WHEN,
    "whenTagName": STR,
    "whenLabelValue": STR,
    "whenChoiceValue": STR,
    "whenRole": STR,
}


# --- registry --------------------------------------------------------------------------------
REGISTRY: dict[str, type[Tag]] = {}


def register(cls: type[Tag]) -> type[Tag]:
    for written in (cls.tag_name, *cls.aliases):
        key = written.lower()
        if key in REGISTRY:
            raise RuntimeError(f"tag {written} registered twice")
        REGISTRY[key] = cls
    return cls


def tag_class(written: str) -> type[Tag] | None:
    """The class for a tag as written in a config (case-insensitive, aliases resolved)."""
    return REGISTRY.get(written.lower())


# --- tags ------------------------------------------------------------------------------------
class Tag:
    tag_name: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    kind: ClassVar[str] = "visual"  # object | control | visual | item
    attributes: ClassVar[dict[str, Attr]] = {}
    required: ClassVar[tuple[str, ...]] = ()

    def __init__(self, node: Node, parent: Tag | None = None):
        self.node = node
        self.parent = parent
        self.children: list[Tag] = []

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r} line={self.line}>"

    @property
    def name(self) -> str | None:
        return self.node.get("name")

    @property
    def line(self) -> int:
        return self.node.line

    def attr(self, name: str, default: AttrValue | None = None) -> AttrValue | None:
        """An attribute converted to its declared type (``default`` when absent)."""
        raw = self.node.get(name)
        if raw is None:
            return default
        spec = self._spec(name)
        return spec.convert(raw) if spec else raw

    def number(self, name: str, default: float | None = None) -> float | None:
        """A numeric attribute (declared ``Num``), ``default`` when absent."""
        value = self.attr(name, default)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise TypeError(f"<{self.tag_name}> attribute {name} is not declared as a number")
        return value

    @classmethod
    def _spec(cls, name: str) -> Attr | None:
        for klass in cls.__mro__:
            specs: dict[str, Attr] = klass.__dict__.get("attributes", {})
            for key, spec in specs.items():
                if key.lower() == name.lower():
                    return spec
        return None

    def error(self, message: str, attribute: str | None = None) -> LabelConfigError:
        return LabelConfigError.at(self.node, message, attribute)

    def check(self) -> list[LabelConfigError]:
        """Own checks: required attributes present and typed attributes well-formed."""
        errors: list[LabelConfigError] = []
        for name in self.required:
            value = self.node.get(name)
            if value is None or not value.strip():
                errors.append(self.error(f"attribute {name} is required", name))
        for written, raw in self.node.attrs.items():
            spec = self._spec(written)
            problem = spec.check(raw) if spec else None
            if problem:
                errors.append(self.error(f"attribute {written}: {problem}", written))
        return errors

    def data_keys(self) -> list[str]:
        """``$keys`` this tag reads from task data (object tags, Header, dynamic Choices)."""
        keys: list[str] = []
        for attr_name in ("value", "valueList", "audioUrl"):
            raw = self.node.get(attr_name)
            if raw:
                keys.extend(DATA_KEY_RE.findall(raw))
        return keys

    def descendants(self) -> Iterator[Tag]:
        for child in self.children:
            yield child
            yield from child.descendants()


class ItemTag(Tag):
    """A label item inside a control (Choice, Label, Relation, Bucket)."""

    kind = "item"

    def data_keys(self) -> list[str]:
        return []

    @property
    def label_value(self) -> str | None:
        """What results store: ``alias`` when given, else ``value``."""
        return self.node.get("alias") or self.node.get("value")

    def check(self) -> list[LabelConfigError]:
        errors = super().check()
        if not self.label_value:
            errors.append(self.error(f"<{self.node.tag}> needs a value (or alias) attribute", "value"))
        return errors
