"""The export formats: one class per format (one module per format family), one registry.

Each format says what config it needs (``requires`` in words, ``unsupported(schema)`` as a check),
so the list offered for a project is derived from its config. Label Studio's "..._WITH_IMAGES"
names are kept as variants that switch on ``include_images``, so its clients keep working.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from labelstudio.core.exceptions import ApplicationError

from .options import ExportOptions
from .schema import Schema

MODULES = (
    "json_formats",
    "json_min",
    "tabular",
    "conll",
    "coco",
    "voc",
    "yolo",
    "asr",
    "masks",
    "brush_numpy",
    "brush_coco",
    "video_mot",
    "video_coco",
)
MAX_WARNINGS = 100


@dataclass
class Context:
    """Everything a writer needs besides the tasks."""

    project_id: int
    schema: Schema
    options: ExportOptions
    tmpdir: Path
    media: object = None  # media.Media
    now: datetime | None = None
    warnings: list[dict] = field(default_factory=list)
    warning_count: int = 0
    stats: dict = field(default_factory=dict)

    def warn(self, message: str, task_id: int | None = None) -> None:
        """Something the user should know (an image that could not be read, a skipped region)."""
        self.warning_count += 1
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append({"task": task_id, "message": message})

    def count(self, key: str, n: int = 1) -> None:
        self.stats[key] = self.stats.get(key, 0) + n


class Format:
    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    description: ClassVar[str] = ""
    link: ClassVar[str] = ""
    tags: ClassVar[tuple[str, ...]] = ()
    requires: ClassVar[str] = "any config"
    extension: ClassVar[str] = ".json"
    multi_file: ClassVar[bool] = False  # always an archive
    media_kind: ClassVar[str | None] = None  # "image" / "audio": can put the files in the archive
    variants: ClassVar[dict[str, tuple[str, str, dict]]] = {}  # name -> (title, description, options)
    raw_json: ClassVar[bool] = False  # copies task data unchanged: may take it as database JSON text

    def unsupported(self, schema: Schema) -> str | None:
        """Why this config cannot be exported in this format, or None."""
        return None

    def write(self, tasks: Iterable[dict], sink, ctx: Context) -> Iterator[None]:
        """Write the tasks to the sink; yield after each task so a streaming caller can drain."""
        raise NotImplementedError

    def archive_for(self, options: ExportOptions) -> bool:
        return self.multi_file or options.archive or (options.include_images and self.media_kind is not None)

    def file_extension(self, options: ExportOptions) -> str:
        return ".zip" if self.archive_for(options) else self.extension


REGISTRY: dict[str, Format] = {}
VARIANTS: dict[str, tuple[str, dict]] = {}


def register(cls: type[Format]) -> type[Format]:
    REGISTRY[cls.name] = cls()
    for name, (_title, _description, options) in cls.variants.items():
        VARIANTS[name] = (cls.name, options)
    return cls


def _load() -> None:
    for module in MODULES:  # imports register their formats; a module imported twice is cached
        importlib.import_module(f"{__package__}.{module}")


def resolve(name: str | None) -> tuple[Format, dict]:
    """A format (or variant) by name, case-insensitively, with the options the variant implies."""
    _load()
    if name is not None and not isinstance(name, str):
        raise ApplicationError(f"the export format must be a name, not {type(name).__name__}", field="exportType")
    key = (name or "JSON").strip().upper().replace("-", "_")
    if key in REGISTRY:
        return REGISTRY[key], {}
    if key in VARIANTS:
        base, options = VARIANTS[key]
        return REGISTRY[base], dict(options)
    known = ", ".join([*REGISTRY, *VARIANTS])
    raise ApplicationError(f"unknown export format {name!r}; known: {known}", field="exportType")


def check_supported(fmt: Format, schema: Schema, name: str | None = None) -> None:
    reason = fmt.unsupported(schema)
    if reason:
        raise ApplicationError(
            f"{name or fmt.name} export is not available for this project: it needs {fmt.requires} ({reason})",
            field="exportType",
        )


def formats_for(schema: Schema) -> list[dict]:
    """Every format in Label Studio's ``export/formats`` shape, disabled where the config can't use it."""
    _load()
    out = []
    for fmt in REGISTRY.values():
        reason = fmt.unsupported(schema)
        entries = [(fmt.name, fmt.title, fmt.description)]
        entries += [(name, title, desc) for name, (title, desc, _) in fmt.variants.items()]
        for name, title, description in entries:
            out.append(
                {
                    "name": name,
                    "title": title,
                    "description": description,
                    "link": fmt.link,
                    "tags": list(fmt.tags),
                    "requires": fmt.requires,
                    "disabled": reason is not None,
                    **({"reason": reason} if reason else {}),
                }
            )
    return out
