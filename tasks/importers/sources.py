"""An import job's inputs -> the ``Document``s to read, in order.

Inputs (``job.params["source"]``): uploaded files in the job's directory, a URL fetched here,
local paths (command line only) or a storage. Archives are unpacked member by member; media
files become media documents whose URL tasks will point at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from . import archives
from .documents import Document
from .errors import ImportAborted, RowError
from .files import detect_format, job_dir, media_url, supported_suffixes, too_large, unique_path
from .media import series_url_key, text_is_media
from .options import Limits
from .url import fetch


class Sources:
    def __init__(self, *, job, config, limits: Limits):
        self.job = job
        self.config = config
        self.files_as_tasks_list: bool | None = None
        self.limits = limits
        self.dir = job_dir(job.project_id, job.pk)
        self.budget = archives.Budget(limits)
        self.total_bytes = 0
        self.task_files: list[Path] = []  # deleted after a successful import; media files stay

    def documents(self):
        """Documents and file-level ``RowError``s; raises ``ImportAborted`` on a limit or unsafe input."""
        source = self.job.params.get("source", {})
        kind = source.get("kind")
        if kind == "files":
            files = [(self.dir / name, name) for name in source["files"]]
        elif kind == "url":
            files = [fetch(source["url"], self.dir, self.limits.max_file_bytes)]
        elif kind == "paths":
            files = [
                (f, str(f.relative_to(p)) if f != p else p.name)
                for p in map(Path, source["paths"])
                for f in (sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else [p])
            ]
        elif kind == "storage":
            from tasks.storage.source import storage_documents

            yield from storage_documents(self, source["storage"])
            return
        else:
            raise ImportAborted(RowError(file="", message=f"unknown import source {kind!r}"))
        for path, _ in files:
            self.total_bytes += path.stat().st_size if path.exists() else 0
        for path, name in files:
            yield from self.from_file(path, name, local=(kind == "paths"))

    def from_file(self, path: Path, name: str, *, local: bool = False, storage_key: str | None = None):
        if not path.is_file():
            yield RowError(file=name, message="the file is missing (was the job's upload removed?)")
            return
        size = path.stat().st_size
        if size > self.limits.max_file_bytes:
            raise ImportAborted(too_large(name, size, self.limits.max_file_bytes))
        fmt = self.format_of(path.name)
        if fmt in ("zip", "tar"):
            if storage_key is None:
                self.budget.add_file(name)
            self.task_files.append(path)
            for member, member_name in archives.extract(path, name, fmt, self.dir / f"{path.name}.d", self.budget):
                self.total_bytes += member.stat().st_size
                member_fmt = self.format_of(member.name)
                if member_fmt in ("zip", "tar"):
                    yield RowError(file=member_name, message="archives inside archives are not imported")
                    continue
                yield from self._document(member, member_name, member_fmt, storage_key)
            return
        if storage_key is None:
            self.budget.add_file(name)
        if local and fmt and fmt.startswith("media:"):
            copy = unique_path(self.dir, path.name)
            shutil.copyfile(path, copy)
            path = copy
        yield from self._document(path, name, fmt, storage_key)

    def format_of(self, name: str) -> str | None:
        fmt = detect_format(name)
        if fmt == "txt" and self.config is not None and text_is_media(self.config):
            return "media:text"
        if fmt in ("csv", "tsv") and self.csv_is_series():
            return "media:timeseries"
        return fmt

    def csv_is_series(self) -> bool:
        """A CSV/TSV is one time-series task (not a file of tasks): the config has a url
        ``TimeSeries``, unless the ``files_as_tasks_list`` option says it holds tasks."""
        if self.config is None or not series_url_key(self.config):
            return False
        return self.files_as_tasks_list is not True

    def _document(self, path: Path, name: str, fmt: str | None, storage_key: str | None):
        if fmt is None:
            yield RowError(file=name, message=f"unsupported file type; supported: {supported_suffixes()}")
            return
        doc = Document(path=path, name=name, fmt=fmt, size=path.stat().st_size, storage_key=storage_key)
        if fmt.startswith("media:"):
            doc.url = media_url(path)
        else:
            self.task_files.append(path)
        yield doc

    def remove_task_files(self) -> None:
        """After success: task files and archives are in the database now; media stay (tasks use them)."""
        for path in self.task_files:
            if path.is_relative_to(self.dir):
                path.unlink(missing_ok=True)
        for extracted in self.dir.glob("*.d"):
            if extracted.is_dir() and not any(p.is_file() for p in extracted.rglob("*")):
                shutil.rmtree(extracted, ignore_errors=True)
