"""What an export needs to know about a labeling config: which object holds the image (or text,
or audio), which controls draw regions on it, and the label names in category order.

A thin view over ``projects.label_config.LabelConfig`` so the format modules never walk tags.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from projects.label_config import LabelConfig, parse
from projects.label_config.tags.base import DATA_KEY_RE

# Result value keys that carry a region's label names, in the order Label Studio's converter reads them.
LABEL_KEYS = ("rectanglelabels", "polygonlabels", "keypointlabels", "brushlabels", "ellipselabels", "labels")
REGION_TAGS = {
    "RectangleLabels": "rectangle",
    "Rectangle": "rectangle",
    "PolygonLabels": "polygon",
    "Polygon": "polygon",
    "KeyPointLabels": "keypoint",
    "KeyPoint": "keypoint",
    "BrushLabels": "brush",
    "Brush": "brush",
}


@dataclass(frozen=True)
class Control:
    name: str
    tag: str
    to_names: tuple[str, ...]
    labels: tuple[str, ...]
    labels_attrs: dict


@dataclass(frozen=True)
class Obj:
    name: str
    tag: str
    key: str | None  # the task data key it reads (``value="$key"``); None for literals
    multi: bool  # ``valueList``: several images in one task


class Schema:
    """The parts of a config that decide formats, columns and categories."""

    def __init__(self, config: LabelConfig):
        self.config = config
        parsed = config.to_json()
        self.controls = [
            Control(name, info["type"], tuple(info["to_name"]), tuple(info["labels"]), info["labels_attrs"])
            for name, info in parsed.items()
        ]
        self.objects = {
            name: Obj(name, tag.tag_name, tag.value_key or _list_key(tag), bool(tag.node.get("valueList")))
            for name, tag in config.objects.items()
        }
        self.data_keys = list(config.data_keys)

    @classmethod
    def from_text(cls, label_config: str) -> Schema:
        return cls(parse(label_config))

    def controls_on(self, object_name: str, *tags: str) -> list[Control]:
        return [c for c in self.controls if object_name in c.to_names and (not tags or c.tag in tags)]

    def objects_of(self, *tags: str) -> list[Obj]:
        return [o for o in self.objects.values() if o.tag in tags]

    def first_object_with(self, object_tags: tuple[str, ...], control_tags: tuple[str, ...]) -> Obj | None:
        """The first object of one of ``object_tags`` that a control of ``control_tags`` labels."""
        for obj in self.objects_of(*object_tags):
            if self.controls_on(obj.name, *control_tags):
                return obj
        return None

    @cached_property
    def image(self) -> Obj | None:
        """The single image that region formats (COCO, VOC, YOLO, masks) export, if there is one."""
        return self.first_object_with(("Image",), tuple(REGION_TAGS) + ("Labels",))

    def region_kinds(self, object_name: str) -> set[str]:
        """Shapes drawn on an object: rectangle, polygon, keypoint, brush."""
        return {REGION_TAGS[c.tag] for c in self.controls_on(object_name) if c.tag in REGION_TAGS}

    def region_labels(self, object_name: str, kinds: set[str]) -> list[str]:
        """Label names of the region controls of these kinds on the object (a ``Labels`` control
        shared with a shape tool counts too), without duplicates, in config order."""
        tags = {tag for tag, kind in REGION_TAGS.items() if kind in kinds} | {"Labels"}
        seen: dict[str, None] = {}
        for control in self.controls_on(object_name, *tags):
            for label in control.labels:
                seen.setdefault(label, None)
        return list(seen)

    def label_attr(self, label: str, attr: str):
        for control in self.controls:
            value = control.labels_attrs.get(label, {}).get(attr)
            if value is not None:
                return value
        return None


def _list_key(tag) -> str | None:
    match = DATA_KEY_RE.search(tag.node.get("valueList") or "")
    return match.group(1) if match else None
