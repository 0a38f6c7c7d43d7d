"""Structural rules: Node tree -> typed tags, with every problem collected.

Rules: the root is <View>; every tag is known; required attributes are present and typed ones
well-formed; names are unique; a control's toName names object tags it can work on; label items
sit inside their control; label-bearing controls have at least one distinct label; conditional
``whenTagName`` names a control.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from .errors import LabelConfigError, LabelConfigWarning
from .parser import Node
from .tags import ControlTag, ItemTag, ObjectTag, Tag, tag_class
from .tags.controls import Taxonomy

ITEM_PARENTS = {
    "Choice": ("Choices", "Taxonomy"),
    "Label": ("Labels", "RectangleLabels", "PolygonLabels", "KeyPointLabels", "EllipseLabels",
              "BrushLabels", "ParagraphLabels", "HyperTextLabels", "TimelineLabels", "TimeSeriesLabels",
              "VideoRectangle", "OcrLabels"),
    "Relation": ("Relations",),
    "Bucket": ("Ranker",),
}  # fmt: skip


def build(root: Node) -> tuple[Tag | None, list[LabelConfigError]]:
    """Typed tags for the tree, and the errors of every unknown tag (its subtree is skipped)."""
    errors: list[LabelConfigError] = []

    def make(node: Node, parent: Tag | None) -> Tag | None:
        cls = tag_class(node.tag)
        if cls is None:
            errors.append(LabelConfigError.at(node, f"unknown tag <{node.tag}>"))
            return None
        tag = cls(node, parent)
        for child in node.children:
            made = make(child, tag)
            if made is not None:
                tag.children.append(made)
        return tag

    return make(root, None), errors


def _all(root: Tag) -> Iterator[Tag]:
    yield root
    yield from root.descendants()


def check(root: Tag) -> list[LabelConfigError]:
    """All structural problems of a built tag tree, in document order."""
    errors: list[LabelConfigError] = []
    if root.tag_name != "View":
        errors.append(root.error("the root tag must be <View>"))
    tags = list(_all(root))
    for tag in tags:
        errors.extend(tag.check())

    by_name: dict[str, Tag] = {}
    for tag in tags:
        name = tag.name
        if name is None or not name.strip():
            continue
        if name in by_name:
            first = by_name[name]
            errors.append(
                tag.error(f"name {name!r} is already used by <{first.node.tag}> on line {first.line}", "name")
            )
        else:
            by_name[name] = tag

    for tag in tags:
        if tag.kind == "item":
            errors.extend(_check_item_place(tag))
        if isinstance(tag, ControlTag):
            errors.extend(_check_targets(tag, by_name))
            errors.extend(_check_items(tag))
        when = tag.node.get("whenTagName")
        if when and not isinstance(by_name.get(when), ControlTag):
            errors.append(tag.error(f"whenTagName {when!r} names no control tag", "whenTagName"))
    errors.sort(key=lambda e: e.line or 0)
    return errors


def _check_item_place(item: Tag) -> list[LabelConfigError]:
    allowed = ITEM_PARENTS.get(item.tag_name, ())
    parent = item.parent
    while parent is not None and parent.kind == "visual":
        parent = parent.parent  # layout tags may wrap items
    if parent is not None and parent.tag_name in allowed:
        return []
    if parent is not None and item.tag_name == "Choice" and parent.tag_name == "Choice":
        control = parent.parent
        while control is not None and control.kind != "control":
            control = control.parent
        if isinstance(control, Taxonomy) or (control is not None and control.attr("allowNested", False)):
            return []
        return [item.error('nested <Choice> is only allowed in <Taxonomy> (or <Choices allowNested="true">)')]
    inside = " or ".join(f"<{p}>" for p in allowed[:3]) + (" ..." if len(allowed) > 3 else "")
    return [item.error(f"<{item.node.tag}> must be inside {inside}")]


def _check_targets(control: ControlTag, by_name: dict[str, Tag]) -> list[LabelConfigError]:
    names = control.to_names
    if not names:
        if "toName" in control.required and (control.node.get("toName") or "").strip():
            return [control.error("toName names no object tag", "toName")]
        return []  # missing toName is reported by the required-attribute check
    errors = []
    for name in names:
        target = by_name.get(name)
        if target is None:
            errors.append(control.error(f"toName {name!r} names no object tag", "toName"))
        elif not isinstance(target, ObjectTag):
            errors.append(control.error(f"toName {name!r} names a <{target.node.tag}>, not an object tag", "toName"))
        elif control.object_types and target.tag_name not in control.object_types:
            works_on = ", ".join(f"<{t}>" for t in control.object_types)
            errors.append(
                control.error(
                    f"toName {name!r} names a <{target.node.tag}>; <{control.tag_name}> works on {works_on}", "toName"
                )
            )
    if len(names) != len(set(names)):
        errors.append(control.error("toName lists the same object twice", "toName"))
    if len(names) < control.min_targets or (control.max_targets and len(names) > control.max_targets):
        errors.append(
            control.error(
                f"<{control.tag_name}> needs exactly {control.min_targets} objects in toName, got {len(names)}",
                "toName",
            )
            if control.min_targets == control.max_targets
            else control.error(f"toName needs at least {control.min_targets} object(s)", "toName")
        )
    return errors


def _check_items(control: ControlTag) -> list[LabelConfigError]:
    errors: list[LabelConfigError] = []
    items = control.items
    if control.needs_items and not items:
        errors.append(control.error(f"<{control.node.tag}> has no <{control.item_tag}> inside: add at least one"))
    for item in items:
        if control.item_tag and item.tag_name != control.item_tag:
            errors.append(item.error(f"<{item.node.tag}> does not belong in <{control.node.tag}>"))
    if isinstance(control, Taxonomy):  # the same leaf may appear under different parents
        by_parent: dict[int, list[ItemTag]] = {}
        for item in items:
            by_parent.setdefault(id(_item_parent(item)), []).append(item)
        groups = list(by_parent.values())
    else:
        groups = [items]
    for group in groups:
        counts = Counter(item.label_value for item in group if item.label_value)
        for item in group:
            label = item.label_value
            if label and counts.get(label, 0) > 1:
                errors.append(  # Label Studio's templates have such configs: a warning, not a refusal
                    LabelConfigWarning.at(item.node, f"label {label!r} appears more than once in <{control.node.tag}>")
                )
                counts[label] = 0  # report each duplicate once
    return errors


def _item_parent(item: Tag) -> Tag | None:
    parent = item.parent
    while parent is not None and parent.kind == "visual":
        parent = parent.parent
    return parent
