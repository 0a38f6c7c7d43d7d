"""``LabelConfig``: a parsed, validated labeling config and what the rest of the app asks of it."""

from __future__ import annotations

from functools import cached_property
from typing import TypedDict

from . import data as _data
from . import results as _results
from .errors import LabelConfigError, LabelConfigWarning, ResultError, ResultValidationError
from .parser import parse_xml
from .tags import ControlTag, ObjectTag, Tag
from .tags.visual import Repeater
from .validator import build, check
from .values import Json


class ObjectSummary(TypedDict):
    name: str | None
    tag: str
    value: str


class ControlSummary(TypedDict):
    name: str | None
    tag: str
    type: str
    toName: list[str]
    labels: list[str]


class Summary(TypedDict):
    """``LabelConfig.summary()``: what the Python and JS readers must agree on."""

    objects: list[ObjectSummary]
    controls: list[ControlSummary]
    dataKeys: list[str]


class ParsedInput(TypedDict):
    type: str
    value: str


class ParsedControl(TypedDict):
    """One control of Label Studio's ``parsed_label_config``."""

    type: str
    to_name: list[str]
    inputs: list[ParsedInput]
    labels: list[str]
    labels_attrs: dict[str, dict[str, str]]


class LabelConfig:
    """Typed tags of one config. Build it with ``parse(text)``; it is read-only afterwards."""

    def __init__(self, text: str, root: Tag):
        self.text = text
        self.root = root
        self.tags: list[Tag] = [root, *root.descendants()]
        self.objects: dict[str, ObjectTag] = {t.name: t for t in self.tags if isinstance(t, ObjectTag) and t.name}
        self.controls: dict[str, ControlTag] = {
            t.name: t for t in self.tags if isinstance(t, ControlTag) and t.name and t.tag_name != "Relations"
        }
        self.relations: list[ControlTag] = [
            t for t in self.tags if isinstance(t, ControlTag) and t.tag_name == "Relations"
        ]
        self.warnings: list[str] = []  # problems Label Studio accepts (errors.LabelConfigWarning)
        self.repeat_flags: tuple[str, ...] = tuple({t.index_flag for t in self.tags if isinstance(t, Repeater)})

    def __repr__(self) -> str:
        return f"<LabelConfig objects={list(self.objects)} controls={list(self.controls)}>"

    # --- what the config reads ---------------------------------------------------------------
    @cached_property
    def data_keys(self) -> list[str]:
        """Sorted task-data keys the config reads (``$key`` in value/valueList/audioUrl)."""
        return sorted({key for tag in self.tags for key in tag.data_keys()})

    @cached_property
    def url_keys(self) -> list[str]:
        """Data keys that must hold URLs (Image, Audio, ``valueType="url"``, Paragraphs audioUrl)."""
        return sorted({key for obj in self.objects.values() for key in obj.url_keys()})

    @property
    def relation_labels(self) -> list[str]:
        return [label for tag in self.relations for label in tag.labels]

    def labels_of(self, control_name: str) -> list[str]:
        return self.controls[control_name].labels

    # --- shared representations --------------------------------------------------------------
    def summary(self) -> Summary:
        """The shape the Python and JS readers must agree on (rules in docs/label-config.md)."""
        objects: list[ObjectSummary] = [
            {"name": t.name, "tag": t.tag_name, "value": t.node.get("value") or t.node.get("valueList") or ""}
            for t in self.tags
            if isinstance(t, ObjectTag)
        ]
        controls: list[ControlSummary] = [
            {"name": t.name, "tag": t.tag_name, "type": t.result_type, "toName": t.to_names, "labels": t.labels}
            for t in self.tags
            if isinstance(t, ControlTag)
        ]
        return {"objects": objects, "controls": controls, "dataKeys": self.data_keys}

    def to_json(self) -> dict[str, ParsedControl]:
        """Label Studio's ``parsed_label_config``: ``{control: {type, to_name, inputs, labels, labels_attrs}}``."""
        out: dict[str, ParsedControl] = {}
        for name, control in self.controls.items():
            inputs: list[ParsedInput] = [
                {"type": self.objects[target].tag_name, "value": self.objects[target].input_value}
                for target in control.to_names
                if target in self.objects
            ]
            out[name] = {
                "type": control.tag_name,
                "to_name": control.to_names,
                "inputs": inputs,
                "labels": control.labels,
                "labels_attrs": {label: dict(i.node.attrs) for i in control.items if (label := i.label_value)},
            }
        return out

    # --- checking data and results -----------------------------------------------------------
    def validate_task_data(self, data: object) -> list[str]:
        """Problems of one task's ``data`` for this config (missing keys, bad URLs, wrong types)."""
        return _data.validate_task_data(self, data)

    def validate_result(self, result: object, data: Json | None = None) -> list[ResultError]:
        """Every problem in a completion/prediction result list; [] when it is valid.

        Pass the task ``data`` to also check text offsets against the text length.
        """
        return _results.validate_result(self, result, data)

    def check_result(self, result: object, data: Json | None = None) -> None:
        """Raise ``ResultValidationError`` (with all errors) when the result is not valid."""
        errors = self.validate_result(result, data)
        if errors:
            raise ResultValidationError(errors)


def validate(text: str | bytes) -> list[LabelConfigError]:
    """All problems of a config text (empty when it is valid)."""
    try:
        node = parse_xml(text)
    except LabelConfigError as exc:
        return [exc]
    root, errors = build(node)
    if root is not None:
        errors = sorted(errors + check(root), key=lambda e: e.line or 0)
    return [e for e in errors if not isinstance(e, LabelConfigWarning)]


def parse(text: str | bytes) -> LabelConfig:
    """Parse and validate a config; raise ``LabelConfigError`` (first problem, ``.errors`` = all)."""
    node = parse_xml(text)
    root, errors = build(node)
    if root is not None:
        errors = sorted(errors + check(root), key=lambda e: e.line or 0)
    warnings = [e for e in errors if isinstance(e, LabelConfigWarning)]
    errors = [e for e in errors if not isinstance(e, LabelConfigWarning)]
    if errors:
        first = errors[0]
        raise LabelConfigError(
            first.message, tag=first.tag, line=first.line, attribute=first.attribute, name=first.name, errors=errors
        )
    assert root is not None  # build() reports an unknown root tag as an error, raised above
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    config = LabelConfig(text, root)
    config.warnings = [str(w) for w in warnings]
    return config
