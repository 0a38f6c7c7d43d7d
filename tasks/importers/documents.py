"""The units the pipeline passes around: a ``Document`` (one file to read) and a ``RawRow``
(one task as read, before it is checked). Parsers are generators of ``RawRow`` and ``RowError``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .errors import RowError

if TYPE_CHECKING:
    from projects.label_config import LabelConfig

    from .options import Limits


@dataclass
class Document:
    path: Path
    name: str  # how errors name it: "tasks.csv", "data.zip/a/b.json", "s3://bucket/key", a URL
    fmt: str  # json | jsonl | csv | tsv | txt | media:<family>
    size: int = 0
    url: str | None = None  # media: what the task's data key points at
    storage_key: str | None = None  # object key when the document came from a storage


@dataclass(slots=True)
class RawRow:
    row: int | None
    line: int | None
    obj: Any
    #: "task": a Label Studio task object (data/annotations/predictions/meta, or the data itself);
    #: "data": a flat data dict (CSV, TXT, media)
    kind: str = "task"
    storage_key: str | None = None


Parser = Callable[[Document, "ParseContext"], Iterator[RawRow | RowError]]


class ParseContext:
    """What parsers need besides the file: the config, limits, and a hook that tells the pipeline
    which binary file is being read (for byte progress)."""

    def __init__(self, *, config: LabelConfig | None, limits: Limits) -> None:
        self.config = config
        self.limits = limits
        self.data_keys: list[str] = list(config.data_keys) if config is not None else []
        self.current: IO[bytes] | None = None

    def opened(self, raw_file: IO[bytes]) -> None:
        self.current = raw_file

    def position(self) -> int:
        try:
            return self.current.tell() if self.current is not None and not self.current.closed else 0
        except (OSError, ValueError):
            return 0
