"""One class per tag, found by name in ``REGISTRY`` (importing the modules registers them)."""

from . import chat, controls, items, objects, regions, timebased, visual  # noqa: F401  (register the tags)
from .base import REGISTRY, ItemTag, Tag, tag_class
from .controls import ControlTag
from .objects import ObjectTag
from .visual import VisualTag

__all__ = ["REGISTRY", "ControlTag", "ItemTag", "ObjectTag", "Tag", "VisualTag", "tag_class"]
