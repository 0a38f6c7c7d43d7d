"""zip and tar(.gz) archives, extracted member by member under the job's directory.

Nothing in an archive can escape or exhaust the server: a member named with ``..`` or an
absolute path, a link or a device aborts the import; the members count against the import's file
limit; the bytes actually written (not the sizes the archive claims) count against the
uncompressed-size cap and the compression-ratio cap, so a zip bomb stops at the cap.
"""

from __future__ import annotations

import re
import stat
import tarfile
import zipfile
import zlib
from pathlib import Path

from .errors import ImportAborted, RowError
from .files import safe_name, unique_path
from .options import Limits, human_bytes

COPY_CHUNK = 1024 * 1024
RATIO_FLOOR = 1024 * 1024  # tiny archives of repetitive text may compress well
JUNK = re.compile(r"(^|/)(__MACOSX/|\._)|(^|/)\.DS_Store$")


class Budget:
    """Files and uncompressed bytes used so far by one import (shared by all its archives)."""

    def __init__(self, limits: Limits, files: int = 0):
        self.limits = limits
        self.files = files
        self.archive_bytes = 0

    def add_file(self, name: str) -> None:
        self.files += 1
        if self.files > self.limits.max_files:
            raise ImportAborted(
                RowError(
                    file=name,
                    message=f"the import has more than {self.limits.max_files} files (archive members "
                    "included), the limit",
                )
            )


def member_parts(archive: str, member: str) -> list[str]:
    """The member's path segments; aborts on an absolute path or a ``..`` segment."""
    name = member.replace("\\", "/")
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in parts:
        raise ImportAborted(
            RowError(
                file=f"{archive}/{member}",
                message=f"archive member name '{member}' points outside the archive; nothing was imported",
            )
        )
    return parts


def extract(path: Path, name: str, fmt: str, dest: Path, budget: Budget):
    """Yield ``(file on disk, display name)`` for each regular member, in archive order."""
    archive_size = max(path.stat().st_size, 1)
    written = [0]
    try:
        if fmt == "zip":
            yield from _zip(path, name, dest, budget, archive_size, written)
        else:
            yield from _tar(path, name, dest, budget, archive_size, written)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, zlib.error, NotImplementedError, RuntimeError) as exc:
        raise ImportAborted(RowError(file=name, message=f"the archive cannot be read: {exc}")) from exc


def _zip(path, name, dest, budget, archive_size, written):
    with zipfile.ZipFile(path) as zf:
        infos = [i for i in zf.infolist() if not i.is_dir() and not JUNK.search(i.filename)]
        for info in infos:  # check every name before extracting anything
            member_parts(name, info.filename)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise _special(name, info.filename)
        declared = sum(i.file_size for i in infos)
        _check_sizes(name, budget.archive_bytes + declared, declared, archive_size, budget.limits)
        for info in infos:
            budget.add_file(f"{name}/{info.filename}")
            with zf.open(info) as src:
                yield _write(src, name, info.filename, dest, budget, archive_size, written)


def _tar(path, name, dest, budget, archive_size, written):
    with tarfile.open(path, "r|*") as tf:
        for member in tf:
            if member.isdir() or JUNK.search(member.name):
                continue
            member_parts(name, member.name)
            if not member.isreg():
                raise _special(name, member.name)
            _check_sizes(
                name, budget.archive_bytes + member.size, written[0] + member.size, archive_size, budget.limits
            )
            budget.add_file(f"{name}/{member.name}")
            src = tf.extractfile(member)
            yield _write(src, name, member.name, dest, budget, archive_size, written)


def _special(archive: str, member: str) -> ImportAborted:
    return ImportAborted(
        RowError(
            file=f"{archive}/{member}",
            message="archive member is a link or a special file, which is not allowed; nothing was imported",
        )
    )


def _check_sizes(name: str, import_total: int, this_archive: int, archive_size: int, limits: Limits) -> None:
    """``import_total``: uncompressed bytes of all archives of the import; ``this_archive``: of this one."""
    if import_total > limits.max_archive_bytes:
        raise ImportAborted(
            RowError(
                file=name,
                message=f"archives expand to more than "
                f"{human_bytes(limits.max_archive_bytes)}, the limit; nothing was imported",
            )
        )
    if this_archive > archive_size * limits.max_archive_ratio and this_archive > RATIO_FLOOR:
        raise ImportAborted(
            RowError(
                file=name,
                message=f"the archive expands more than {limits.max_archive_ratio} "
                "times its size (a zip bomb?); nothing was imported",
            )
        )


def _write(src, name, member, dest, budget, archive_size, written) -> tuple[Path, str]:
    parts = [safe_name(p) for p in member_parts(name, member)]
    out = unique_path(dest.joinpath(*parts[:-1]), parts[-1])  # names equal once made safe stay apart
    size = 0
    with out.open("wb") as f:
        while chunk := src.read(COPY_CHUNK):
            size += len(chunk)
            written[0] += len(chunk)
            budget.archive_bytes += len(chunk)
            if size > budget.limits.max_file_bytes:
                raise ImportAborted(
                    RowError(
                        file=f"{name}/{member}",
                        message=f"archive member is larger than {human_bytes(budget.limits.max_file_bytes)}, the limit",
                    )
                )
            _check_sizes(name, budget.archive_bytes, written[0], archive_size, budget.limits)
            f.write(chunk)
    return out, f"{name}/{member}"
