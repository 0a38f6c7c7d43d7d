"""The shared walk of image formats (COCO, VOC, YOLO, masks): one entry per task image, with its
file name in the archive, its true size and the regions of every exported completion.

Sizes come from the results (``original_width/height``) when they have them, else from the image
itself with Pillow. With ``include_images`` the image file goes into ``images/`` as we pass it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .flat import answered
from .geometry import Region, regions, stored_size
from .media import MediaError
from .registry import Context
from .schema import Obj

IMAGE_TAGS = ("Image",)
IMAGE_REGION_TAGS = ("RectangleLabels", "PolygonLabels", "KeyPointLabels", "Rectangle", "Polygon", "KeyPoint")


@dataclass
class ImageEntry:
    task: dict
    url: str | None
    name: str
    width: int | None
    height: int | None
    depth: int | None
    completions: list[tuple[dict, list[Region]]] = field(default_factory=list)

    @property
    def stem(self) -> str:
        return self.name.rsplit(".", 1)[0] if "." in self.name else self.name

    @property
    def sized(self) -> bool:
        return bool(self.width and self.height)


def unsupported_image(schema, kinds: set[str], what: str) -> str | None:
    """Shared config check: one Image (not a multi-image ``valueList``) with regions of these kinds."""
    obj = schema.image
    if obj is None:
        return "no Image object with region labels"
    if obj.multi:
        return f"the Image object {obj.name} shows several images (valueList)"
    if obj.key is None:
        return f"the Image object {obj.name} reads no $key"
    if not schema.region_kinds(obj.name) & kinds:
        return f"no {what} on the image"
    return None


def image_entries(
    tasks: Iterable[dict], sink, ctx: Context, *, need_depth: bool = False, every_size: bool = True
) -> Iterator[ImageEntry]:
    """One ``ImageEntry`` per task, the image file added to the archive when asked; its completions
    are ``flat.answered`` (skipped ones left out; a task with only skipped ones has no entry).

    ``every_size=False``: read an image's size only when it has regions (YOLO and masks list
    unlabeled images without a size; COCO and VOC must state every image's size)."""
    obj: Obj = ctx.schema.image
    for task in tasks:
        completions = answered(task)
        if not completions:  # every exported completion was skipped: Label Studio lists no image
            continue
        url = (task.get("data") or {}).get(obj.key)
        name = ctx.media.archive_name(url, task["id"])
        entry = ImageEntry(task, url, name, None, None, None)
        for completion in filter(None, completions):
            entry.completions.append((completion, regions(completion.get("result"), obj.name)))
        width = height = depth = None
        stored = stored_size(task, obj.name)
        if stored:
            width, height = stored
        wanted = every_size or any(found for _, found in entry.completions)
        if wanted and (not stored or need_depth and _is_local(ctx, url)):
            info = ctx.media.image_size(url) if isinstance(url, str) else None
            if info:
                width, height = (width or info[0]), (height or info[1])
                depth = info[2]
            elif not stored:
                ctx.warn(f"image size unknown: {url!r} has no stored size and could not be read", task["id"])
        if ctx.options.include_images and sink.archive:
            _add_image(task, url, name, sink, ctx)
        entry.width, entry.height, entry.depth = width, height, depth
        yield entry


def _is_local(ctx: Context, url) -> bool:
    try:
        return isinstance(url, str) and ctx.media.media_path(url) is not None
    except MediaError:
        return False


def _add_image(task: dict, url, name: str, sink, ctx: Context) -> None:
    try:
        path, temporary = ctx.media.fetch(url)
    except MediaError as exc:
        ctx.warn(f"image not included: {exc}", task["id"])
        return
    try:
        sink.add_file(f"images/{name}", path)
        ctx.count("images")
    finally:
        if temporary:
            Path(path).unlink(missing_ok=True)


def category_ids(schema, kinds: set[str]) -> dict[str, int]:
    """Label Studio's category numbering: labels sorted by name from 0, except that a label's
    ``category="N"`` attribute fixes its id (the others fill the free numbers)."""
    obj = schema.image
    labels = schema.region_labels(obj.name, kinds) if obj else []
    fixed: dict[str, int] = {}
    for label in labels:
        try:
            fixed[label] = int(schema.label_attr(label, "category"))
        except (TypeError, ValueError):
            continue
    ids = dict(fixed)
    used = set(fixed.values())
    next_id = 0
    for label in sorted(set(labels) - set(fixed)):
        while next_id in used:
            next_id += 1
        ids[label] = next_id
        used.add(next_id)
    return ids


def keypoint_order(schema) -> list[str]:
    """Keypoint names in ``model_index`` order (Label Studio's rule), else in config order."""
    obj = schema.image
    controls = schema.controls_on(obj.name, "KeyPointLabels") if obj else []
    names = list(dict.fromkeys(label for c in controls for label in c.labels))

    def index(name: str):
        try:
            return (0, int(schema.label_attr(name, "model_index")))
        except (TypeError, ValueError):
            return (1, names.index(name))

    return sorted(names, key=index)
