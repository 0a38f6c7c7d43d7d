"""Where uploads live, what a file is (by its name), and names that cannot escape their directory.

Uploads of a job go to ``DATA_DIR/uploads/<project>/<job>/``; media files stay there and tasks
point at them as ``/data/upload/<project>/<job>/<name>`` (served to project members only).
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings
from django.core.files.move import file_move_safe
from django.core.files.uploadedfile import UploadedFile

from .errors import ImportAborted, RowError
from .options import human_bytes

TASK_FORMATS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv", ".txt": "txt"}
ARCHIVE_FORMATS = {".zip": "zip", ".tar.gz": "tar", ".tgz": "tar", ".tar": "tar"}
MEDIA_FAMILIES = {
    "image": {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".svg", ".tif", ".tiff", ".avif"},
    "audio": {".wav", ".mp3", ".flac", ".ogg", ".oga", ".m4a", ".aac", ".opus", ".webm"},
    "video": {".mp4", ".mov", ".mkv", ".ogv", ".avi"},
    "html": {".html", ".htm", ".xhtml"},
}
MEDIA_URL_PREFIX = "/data/upload/"
_UNSAFE = re.compile(r"[^\w.\-]+", re.ASCII)


def uploads_root() -> Path:
    return Path(settings.DATA_DIR) / "uploads"


def job_dir(project_id: int, job_id: int) -> Path:
    return uploads_root() / str(project_id) / str(job_id)


def suffix_of(name: str) -> str:
    lowered = name.lower()
    if lowered.endswith(".tar.gz"):
        return ".tar.gz"
    return PurePosixPath(lowered).suffix


def detect_format(name: str) -> str | None:
    """``json|jsonl|csv|tsv|txt|zip|tar|media:<family>`` from the file name, None if unknown."""
    suffix = suffix_of(name)
    if suffix in TASK_FORMATS:
        return TASK_FORMATS[suffix]
    if suffix in ARCHIVE_FORMATS:
        return ARCHIVE_FORMATS[suffix]
    for family, suffixes in MEDIA_FAMILIES.items():
        if suffix in suffixes:
            return f"media:{family}"
    return None


def supported_suffixes() -> str:
    names = [*TASK_FORMATS, *ARCHIVE_FORMATS, *sorted(s for f in MEDIA_FAMILIES.values() for s in f)]
    return ", ".join(names)


def safe_name(name: str, default: str = "file") -> str:
    """One path segment made of ASCII letters, digits, ``._-``: no separators, no leading dot."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    base = _UNSAFE.sub("_", base).lstrip(".-_")
    if not base:
        return default
    if len(base) > 150:
        suffix = suffix_of(base)[:20]
        base = base[: 150 - len(suffix)] + suffix
    return base


def inside(directory: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(directory.resolve())
    except ValueError:
        return False
    return True


def unique_path(directory: Path, name: str) -> Path:
    """``directory/safe(name)``, numbered when taken; never outside ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    clean = safe_name(name)
    path, n = directory / clean, 1
    while path.exists():
        n += 1
        path = directory / f"{n}_{clean}"
    if not inside(directory, path):  # cannot happen with safe_name; kept as the invariant
        raise ImportAborted(RowError(file=name, message="file name points outside the upload directory"))
    return path


def too_large(name: str, size: int, limit: int) -> RowError:
    return RowError(file=name, message=f"file is {human_bytes(size)}, more than the limit of {human_bytes(limit)}")


#: What store_upload takes: a Django upload, or ``(name, content)`` with bytes, text or a binary file.
Upload = UploadedFile | tuple[str, bytes | str | IO[bytes]]


def store_upload(directory: Path, upload: Upload, max_bytes: int) -> Path:
    """Save a Django ``UploadedFile`` (moved when on disk) or a ``(name, bytes | file)`` pair."""
    if isinstance(upload, tuple):
        name, content = upload
        path = unique_path(directory, name)
        if isinstance(content, bytes | str):
            path.write_bytes(content.encode() if isinstance(content, str) else content)
        else:
            with path.open("wb") as out:
                shutil.copyfileobj(content, out, 1024 * 1024)
    else:
        name = upload.name or ""  # safe_name() names a nameless upload "file"
        path = unique_path(directory, name)
        if upload.size is not None and upload.size > max_bytes:
            raise ImportAborted(too_large(name, upload.size, max_bytes))
        if hasattr(upload, "temporary_file_path"):
            file_move_safe(upload.temporary_file_path(), str(path), allow_overwrite=True)
        else:
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
    size = path.stat().st_size
    if size > max_bytes:
        path.unlink()
        raise ImportAborted(too_large(path.name, size, max_bytes))
    return path


def media_url(path: Path) -> str:
    return MEDIA_URL_PREFIX + path.resolve().relative_to(uploads_root().resolve()).as_posix()


def uploaded_file(project_id: int, relative: str) -> Path | None:
    """The stored file behind ``/data/upload/<project>/<relative>``, or None if it isn't one."""
    directory = uploads_root() / str(project_id)
    path = directory / relative
    if ".." in PurePosixPath(relative).parts or not inside(directory, path) or not path.is_file():
        return None
    return path
