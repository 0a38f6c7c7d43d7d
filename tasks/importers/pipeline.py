"""Documents -> parser (one per format) -> RowBuilder (check against the config) -> Sink (bulk write).

One pass, constant memory: rows stream from the parsers into the writer's batches. In
all-or-nothing mode the first bad row stops the writing (the caller rolls the transaction back)
but reading goes on, so the job can report every error and how many there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import csv_tasks, json_tasks, jsonl, media, txt
from .documents import ParseContext
from .errors import ErrorLog, RowError
from .rows import RowBuilder

if TYPE_CHECKING:
    from projects.label_config import LabelConfig

    from .options import ImportOptions, Limits
    from .progress import ImportProgress
    from .users import UserResolver
    from .writer import Sink

PARSERS = {
    "json": json_tasks.read,
    "jsonl": jsonl.read,
    "csv": csv_tasks.read,
    "tsv": csv_tasks.read,
    "txt": txt.read,
}
REPORT_EVERY = 1000


def parser_for(fmt: str):
    return media.read if fmt.startswith("media:") else PARSERS[fmt]


@dataclass
class Outcome:
    rows_read: int
    files: int
    errors: ErrorLog


class Pipeline:
    def __init__(
        self,
        *,
        config: LabelConfig,
        options: ImportOptions,
        limits: Limits,
        sink: Sink,
        users: UserResolver,
        stats: ImportProgress,
    ) -> None:
        self.options = options
        self.sink = sink
        self.stats = stats
        self.ctx = ParseContext(config=config, limits=limits)
        self.builder = RowBuilder(config=config, options=options, limits=limits, users=users)
        self.errors = ErrorLog()
        self.rows_read = 0
        self.files = 0
        self.bytes_done = 0

    @property
    def writing(self) -> bool:
        return self.options.skip_bad_rows or self.errors.count == 0

    def run(self, sources) -> Outcome:
        for item in sources.documents():
            if isinstance(item, RowError):
                self.errors.add_row([item])
                continue
            self.files += 1
            self._read(item, sources)
            self.bytes_done += item.size
            if item.storage_key is not None and not item.fmt.startswith("media:") and self.writing:
                self.sink.add_file_link(item.storage_key)
        self._report(sources, force=True)
        return Outcome(rows_read=self.rows_read, files=self.files, errors=self.errors)

    def _read(self, doc, sources) -> None:
        build, add, errors = self.builder.build, self.sink.add, self.errors
        skip = self.options.skip_bad_rows
        rows = self.rows_read
        next_report = rows - rows % REPORT_EVERY + REPORT_EVERY
        for raw in parser_for(doc.fmt)(doc, self.ctx):
            if raw.__class__ is RowError:
                errors.add_row([raw])
                continue
            rows += 1
            row = build(raw, doc)
            if row.__class__ is list:
                errors.add_row(row)
            elif skip or not errors.count:
                add(row)
            if rows >= next_report:
                self.rows_read, next_report = rows, next_report + REPORT_EVERY
                self._report(sources)
        self.rows_read = rows
        self.ctx.current = None

    def _report(self, sources, force: bool = False) -> None:
        sink = self.sink
        written = sink.task_count + len(getattr(sink, "batch", ()))
        self.stats.update(
            done=self.bytes_done + self.ctx.position(),
            total=sources.total_bytes,
            force=force,
            phase="reading",
            rows_read=self.rows_read,
            tasks_created=written,
            error_count=self.errors.count,
        )
