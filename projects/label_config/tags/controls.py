"""Control tags that classify a whole object (or a region, with perRegion) and the base class.

Each control knows the objects it works on, its label items, the result ``type`` values it emits
and how to check a result ``value`` (``check_value`` returns ``(field, message)`` pairs).
"""

from __future__ import annotations

from typing import ClassVar

from .. import values as v
from ..errors import LabelConfigError
from .base import BOOL, CONDITIONAL, DATA_KEY_RE, NUMBER, POS_INT, STR, Enum, ItemTag, Tag, register
from .objects import ObjectTag

#: Nested ``Choice`` labels: ``{label: subtree}`` (leaves map to ``{}``).
ChoiceTree = dict[str, "ChoiceTree"]


def choice_tree(control: Tag) -> ChoiceTree:
    """``{label: subtree}`` from nested Choice tags (layout tags in between are skipped)."""

    def build(tag: Tag) -> ChoiceTree:
        out: ChoiceTree = {}
        for child in tag.children:
            if isinstance(child, ItemTag):
                if child.label_value is not None:  # always set in a parsed config (ItemTag.check)
                    out[child.label_value] = build(child)
            else:
                out.update(build(child))
        return out

    return build(control)


class ControlTag(Tag):
    kind = "control"
    required: ClassVar[tuple[str, ...]] = ("name", "toName")
    attributes = {
        "name": STR,
        "toName": STR,
        "required": BOOL,
        "requiredMessage": STR,
        "perRegion": BOOL,
        "perItem": BOOL,
        "hotkey": STR,
        "smart": BOOL,
        "smartOnly": BOOL,
        "readOnly": BOOL,
        "showInline": BOOL,
        **CONDITIONAL,
    }
    #: canonical object tag names this control can point at (None: any object)
    object_types: ClassVar[tuple[str, ...] | None] = None
    #: the label item tag it holds (Choice, Label, Relation, Bucket) or None
    item_tag: ClassVar[str | None] = None
    #: label items are optional (Ranker buckets)
    items_optional: ClassVar[bool] = False
    #: Label Studio variants of the result type accepted besides the lower-cased tag name
    extra_result_types: ClassVar[tuple[str, ...]] = ()
    #: how many toName targets it takes
    min_targets: ClassVar[int] = 1
    max_targets: ClassVar[int | None] = None

    @property
    def result_type(self) -> str:
        return self.tag_name.lower()

    @property
    def result_types(self) -> tuple[str, ...]:
        return (self.result_type, *self.extra_result_types)

    @property
    def to_names(self) -> list[str]:
        return [part.strip() for part in (self.node.get("toName") or "").split(",") if part.strip()]

    @property
    def items(self) -> list[ItemTag]:
        """Label items in document order (nested Taxonomy choices flattened depth-first)."""
        return [tag for tag in self.descendants() if isinstance(tag, ItemTag)]

    @property
    def labels(self) -> list[str]:
        return [label for item in self.items if (label := item.label_value)]

    @property
    def dynamic_labels(self) -> bool:
        """Labels come from task data (``value="$options"``) or a remote API: don't check them."""
        return bool(DATA_KEY_RE.search(self.node.get("value") or "")) or bool(self.node.get("apiUrl"))

    @property
    def needs_items(self) -> bool:
        return self.item_tag is not None and not self.items_optional and not self.dynamic_labels

    def allowed_labels(self) -> list[str] | None:
        return None if self.dynamic_labels else self.labels

    def check_value(
        self, value: v.Json, result_type: str, target: ObjectTag | None, text: str | None = None
    ) -> v.Problems:
        """Problems of one result's ``value`` (``target``: the object it is on, when the config has it)."""
        raise NotImplementedError


@register
class Choices(ControlTag):
    tag_name = "Choices"
    item_tag = "Choice"
    attributes = {
        "choice": Enum("single", "single-radio", "multiple"),
        "layout": Enum("select", "inline", "vertical", "horizontal"),
        "allowNested": BOOL,
        "value": STR,
    }

    def check_value(
        self, value: v.Json, result_type: str, target: ObjectTag | None, text: str | None = None
    ) -> v.Problems:
        single = (self.node.get("choice") or "single").strip() != "multiple"
        got = value.get("choices")
        if self.attr("allowNested", False) and isinstance(got, list) and any(isinstance(p, list) for p in got):
            return self._check_paths(got, single)
        return v.check_label_list(value, "choices", self.allowed_labels(), single=single)

    def _check_paths(self, paths: list[object], single: bool) -> v.Problems:
        """allowNested: Label Studio writes each choice as its path from the top ``[["Parent", "Child"]]``."""
        if single and len(paths) > 1:
            return [("value.choices", f"expected one choice (choice is single), got {len(paths)}")]
        tree = None if self.dynamic_labels else choice_tree(self)
        for i, path in enumerate(paths):
            field = f"value.choices[{i}]"
            if not isinstance(path, list) or not path or not all(isinstance(p, str) for p in path):
                return [(field, f"expected a path (non-empty list of strings), got {v.show(path)}")]
            if tree is None:
                continue
            node = tree
            for depth, step in enumerate(path):
                if step not in node:
                    where = " > ".join(path[:depth]) or "the top level"
                    return [(field, f"{step!r} is not a choice under {where}; expected one of {v.show(list(node))}")]
                node = node[step]
        return []


@register
class Taxonomy(ControlTag):
    """A tree of nested ``Choice``; results hold paths: ``{"taxonomy": [["Animal", "Bird"]]}``."""

    tag_name = "Taxonomy"
    item_tag = "Choice"
    attributes = {
        "leafsOnly": BOOL,
        "showFullPath": BOOL,
        "pathSeparator": STR,
        "placeholder": STR,
        "maxUsages": POS_INT,
        "maxWidth": STR,
        "minWidth": STR,
        "apiUrl": STR,
        "isEditable": BOOL,
        "legacy": BOOL,
        "value": STR,
    }

    def tree(self) -> ChoiceTree:
        return choice_tree(self)

    def task_tree(self, data: v.Json | None) -> ChoiceTree | None:
        """The tree a task offers: with ``value="$field"`` the config's items plus the task's
        ``[{value, alias?, children: [...]}]`` (or strings); None when it cannot be known here
        (``apiUrl``, or options from data without the data)."""
        if self.node.get("apiUrl"):
            return None
        if not self.dynamic_labels:
            return self.tree()
        found = DATA_KEY_RE.search(self.node.get("value") or "")
        if data is None or found is None:
            return None
        tree = self.tree()
        _merge_options(tree, data.get(found.group(1)))
        return tree

    def check_value(
        self, value: v.Json, result_type: str, target: ObjectTag | None, text: str | None = None
    ) -> v.Problems:
        return self.check_paths(value, None if self.dynamic_labels else self.tree())

    def check_paths(self, value: v.Json, tree: ChoiceTree | None) -> v.Problems:
        """Each path of ``value.taxonomy`` walks ``tree`` (None: any path of strings)."""
        paths = value.get("taxonomy")
        if not isinstance(paths, list) or not paths:
            return [("value.taxonomy", f"expected a non-empty list of paths (lists of strings), got {v.show(paths)}")]
        leafs_only = self.attr("leafsOnly", False)
        editable = self.attr("isEditable", False)
        for i, path in enumerate(paths):
            field = f"value.taxonomy[{i}]"
            if not isinstance(path, list) or not path or not all(isinstance(p, str) for p in path):
                return [(field, f"expected a path (non-empty list of strings), got {v.show(path)}")]
            if tree is None:
                continue
            node: ChoiceTree = tree
            for depth, step in enumerate(path):
                if step not in node and editable:  # an item the annotator added (isEditable)
                    node = {}
                    break
                if step not in node:
                    where = " > ".join(path[:depth]) or "the top level"
                    return [(field, f"{step!r} is not a choice under {where}; expected one of {v.show(list(node))}")]
                node = node[step]
            if leafs_only and node:
                return [(field, f"expected a path to a leaf (leafsOnly), {' > '.join(path)} has children")]
        return []


def _merge_options(tree: ChoiceTree, options: object) -> None:
    """Add task-data options (Label Studio's dynamic format) to a ``{label: subtree}`` tree in place;
    an item is written by its alias when it has one, as in the interface."""
    for option in options if isinstance(options, list) else []:
        if isinstance(option, str | int | float) and not isinstance(option, bool):
            tree.setdefault(str(option), {})
        elif isinstance(option, dict) and option.get("value") is not None:
            key = str(option["alias"] if option.get("alias") is not None else option["value"])
            _merge_options(tree.setdefault(key, {}), option.get("children"))


@register
class TextArea(ControlTag):
    tag_name = "TextArea"
    attributes = {
        "value": STR,
        "label": STR,
        "placeholder": STR,
        "maxSubmissions": POS_INT,
        "editable": BOOL,
        "transcription": BOOL,
        "skipDuplicates": BOOL,
        "showSubmitButton": BOOL,
        "rows": POS_INT,
        "displayMode": Enum("tag", "region-list"),
    }

    def check_value(
        self, value: v.Json, result_type: str, target: ObjectTag | None, text: str | None = None
    ) -> v.Problems:
        got = value.get("text")
        if isinstance(got, str):  # Label Studio's SDK accepts a bare string too
            return []
        if not isinstance(got, list) or not all(isinstance(t, str) for t in got):
            return [("value.text", f"expected a list of strings, got {v.show(got)}")]
        return []


@register
class Rating(ControlTag):
    """toName is optional, as in Label Studio's templates: a rating of the whole task."""

    tag_name = "Rating"
    required = ("name",)
    attributes = {
        "maxRating": POS_INT,
        "defaultValue": NUMBER,
        "size": Enum("small", "medium", "large"),
        "icon": Enum("star", "heart", "fire", "smile"),
    }

    def check_value(
        self, value: v.Json, result_type: str, target: ObjectTag | None, text: str | None = None
    ) -> v.Problems:
        return v.expect_number(value, "rating", 1, self.number("maxRating", 5), integer=True)


@register
class Number(ControlTag):
    tag_name = "Number"
    attributes = {"min": NUMBER, "max": NUMBER, "step": NUMBER, "defaultValue": NUMBER, "slider": BOOL}

    def check(self) -> list[LabelConfigError]:
        errors = super().check()
        if not errors:
            low, high = self.number("min"), self.number("max")
            if low is not None and high is not None and low > high:
                errors.append(self.error(f"attribute min ({low:g}) is greater than max ({high:g})", "min"))
        return errors

    def check_value(
        self, value: v.Json, result_type: str, target: ObjectTag | None, text: str | None = None
    ) -> v.Problems:
        return v.expect_number(value, "number", self.number("min"), self.number("max"))


@register
class DateTime(ControlTag):
    tag_name = "DateTime"
    attributes = {"only": Enum("date", "time", "month", "year", multi=True), "format": STR, "min": STR, "max": STR}

    def check_value(
        self, value: v.Json, result_type: str, target: ObjectTag | None, text: str | None = None
    ) -> v.Problems:
        got = value.get("datetime")
        if isinstance(got, str) and got.strip():
            return []
        if v.is_int(got) and (self.node.get("only") or "").strip() == "year":
            return []
        return [("value.datetime", f"expected a date/time string, got {v.show(got)}")]


@register
class Pairwise(ControlTag):
    tag_name = "Pairwise"
    min_targets = max_targets = 2
    attributes = {"selectionStyle": STR, "leftClass": STR, "rightClass": STR}

    def check_value(
        self, value: v.Json, result_type: str, target: ObjectTag | None, text: str | None = None
    ) -> v.Problems:
        got = value.get("selected")
        if got not in ("left", "right"):
            return [("value.selected", f'expected "left" or "right", got {v.show(got)}')]
        return []


@register
class Ranker(ControlTag):
    """Orders the items of a ``List`` or sorts them into ``Bucket`` columns."""

    tag_name = "Ranker"
    object_types = ("List",)
    item_tag = "Bucket"
    items_optional = True

    def check_value(
        self, value: v.Json, result_type: str, target: ObjectTag | None, text: str | None = None
    ) -> v.Problems:
        got = value.get("ranker")
        if not isinstance(got, dict) or not got:
            return [("value.ranker", f"expected a dict of column -> list of item ids, got {v.show(got)}")]
        columns = [*self.labels, *self.to_names, self.name, "_"]
        for key, ids in got.items():
            if key not in columns:
                return [(f"value.ranker.{key}", f"expected a column among {v.show(columns[:-1])}")]
            if not isinstance(ids, list) or not all(isinstance(i, str | int) for i in ids):
                return [(f"value.ranker.{key}", f"expected a list of item ids, got {v.show(ids)}")]
        return []


@register
class Relations(ControlTag):
    """Labels for relations between regions. Usually written without name/toName."""

    tag_name = "Relations"
    item_tag = "Relation"
    required = ()
    attributes = {"choice": Enum("single", "multiple")}

    @property
    def result_type(self) -> str:
        return "relation"

    def check_value(
        self, value: v.Json, result_type: str, target: ObjectTag | None, text: str | None = None
    ) -> v.Problems:  # relation items are checked in results.py
        return []
