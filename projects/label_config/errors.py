"""Error types of the labeling-config language.

``LabelConfigError`` is raised for a bad config (or a refused config change); ``ResultError`` is one
problem found in a completion or prediction result, returned as data by ``validate_result``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class LabelConfigError(ValueError):
    """A labeling config that cannot be used, with where the problem is.

    ``str(err)`` reads like ``line 4, <Choices name="x">: toName 'img' names no object tag``.
    ``errors`` holds every problem found (the first one is this error itself).
    """

    def __init__(
        self,
        message: str,
        *,
        tag: str | None = None,
        line: int | None = None,
        attribute: str | None = None,
        name: str | None = None,
        errors: list[LabelConfigError] | None = None,
    ):
        self.message = message
        self.tag = tag
        self.line = line
        self.attribute = attribute
        self.name = name
        self.errors = errors if errors is not None else [self]
        super().__init__(self.__str__())

    @classmethod
    def at(cls, node: Any, message: str, attribute: str | None = None) -> LabelConfigError:
        """An error located at a parsed node (anything with ``tag``, ``line`` and ``attrs``)."""
        return cls(message, tag=node.tag, line=node.line, attribute=attribute, name=node.attrs.get("name"))

    @property
    def where(self) -> str:
        parts = []
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.tag:
            parts.append(f'<{self.tag} name="{self.name}">' if self.name else f"<{self.tag}>")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where
        return f"{where}: {self.message}" if where else self.message

    def as_dict(self) -> dict[str, Any]:
        """JSON-able form for API error bodies."""
        return {
            "message": self.message,
            "detail": str(self),
            "tag": self.tag,
            "name": self.name,
            "line": self.line,
            "attribute": self.attribute,
        }


class LabelConfigWarning(LabelConfigError):
    """A problem we point out but do not refuse (Label Studio accepts such configs): e.g. the same
    label twice in one control. ``parse`` puts these in ``LabelConfig.warnings``."""


@dataclass(frozen=True)
class ResultError:
    """One problem in a result list: ``index`` of the item, dotted ``field`` path, ``message``."""

    index: int | None
    field: str
    message: str

    def __str__(self) -> str:
        prefix = "result" if self.index is None else f"result[{self.index}]"
        path = f"{prefix}.{self.field}" if self.field else prefix
        return f"{path}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"index": self.index, "field": self.field, "message": self.message, "detail": str(self)}


class ResultValidationError(ValueError):
    """Raised by ``LabelConfig.check_result``; ``errors`` is the full list of ``ResultError``."""

    def __init__(self, errors: list[ResultError]):
        self.errors = errors
        shown = "; ".join(str(e) for e in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        super().__init__(shown + more)
