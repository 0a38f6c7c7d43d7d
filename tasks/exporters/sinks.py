"""Where a format writes: one plain file, or a zip archive of several members.

The same writer code serves an export job (a file on disk, hashed as it is written) and a direct
download (a buffer the HTTP response drains between tasks): a writer is a generator that yields
after each task, and the caller empties the buffer whenever it gets control back.
"""

from __future__ import annotations

import hashlib
import pickle
import shutil
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, Protocol

if TYPE_CHECKING:
    from .registry import Context

FLUSH_BYTES = 1 << 16


class Stream(Protocol):
    """Where an export's bytes go: a file (``HashingFile``) or a streaming response (``DrainBuffer``)."""

    context: Context | None  # the export's registry.Context, set by services.generate

    def write(self, data: bytes) -> int: ...
    def tell(self) -> int: ...
    def flush(self) -> None: ...
    def close(self) -> None: ...
    def drain(self) -> bytes: ...


class HashingFile:
    """A binary file that keeps the md5 and size of what was written (what the API reports)."""

    context: Context | None = None  # the export's registry.Context, set by services.generate

    def __init__(self, path: Path) -> None:
        self.file = open(path, "wb")  # noqa: SIM115 - closed by close()
        self.md5 = hashlib.md5(usedforsecurity=False)
        self.size = 0

    def write(self, data: bytes) -> int:
        self.md5.update(data)
        self.size += len(data)
        return self.file.write(data)

    def tell(self) -> int:
        return self.size

    def seek(self, *args: object) -> NoReturn:
        raise OSError("not seekable")  # zipfile then writes data descriptors; no rewriting

    def flush(self) -> None:
        self.file.flush()

    def close(self) -> None:
        self.file.close()

    def drain(self) -> bytes:
        return b""


class DrainBuffer:
    """A write-only stream for streaming responses: ``drain()`` hands over what was written."""

    context: Context | None = None

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        self.size += len(data)
        return len(data)

    def tell(self) -> int:
        return self.size

    def seek(self, *args: object) -> NoReturn:
        raise OSError("not seekable")

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def drain(self) -> bytes:
        out = b"".join(self.chunks)
        self.chunks.clear()
        return out


class TextOut:
    """Buffered text writer over a binary stream (utf-8)."""

    def __init__(self, raw):
        self.raw = raw
        self.parts: list[str] = []
        self.pending = 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.pending += len(text)
        if self.pending >= FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        if self.parts:
            self.raw.write("".join(self.parts).encode("utf-8"))
            self.parts.clear()
            self.pending = 0


class Sink:
    """Base: ``text(name)`` opens a member for incremental text; ``add_bytes``/``add_file`` put whole
    members; ``drain()`` returns bytes written since the last call (streaming only)."""

    archive = False

    def __init__(self, stream):
        self.stream = stream

    def drain(self) -> bytes:
        return self.stream.drain()

    def close(self) -> None:
        self.stream.close()


class PlainSink(Sink):
    """Exactly one member: the file itself."""

    def __init__(self, stream):
        super().__init__(stream)
        self.used = False

    @contextmanager
    def text(self, name: str):
        if self.used:
            raise RuntimeError("a plain export holds one file; use an archive for more")
        self.used = True
        out = TextOut(self.stream)
        yield out
        out.flush()

    def add_bytes(self, name: str, data: bytes) -> None:
        raise RuntimeError(f"cannot add {name} to a single-file export")

    def add_file(self, name: str, path: Path) -> None:
        raise RuntimeError(f"cannot add {name} to a single-file export")


class _SpilledInfos:
    """``ZipFile.filelist`` kept on disk. zipfile only appends to it, counts it and walks it once
    for the central directory at close, so an archive of a million label files needs no list of
    a million ``ZipInfo`` objects (about 500 bytes each) in memory."""

    def __init__(self, path: Path):
        self.path = path
        self.file = open(path, "wb")  # noqa: SIM115 - closed when the records are read back
        self.count = 0

    def append(self, info: zipfile.ZipInfo) -> None:
        pickle.dump(info, self.file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def __len__(self) -> int:
        return self.count

    def __iter__(self):
        self.file.close()
        with open(self.path, "rb") as f:
            while True:
                try:
                    yield pickle.load(f)  # noqa: S301 - our own temp file
                except EOFError:
                    return


class _NoNames(dict):
    """``ZipFile.NameToInfo`` that remembers nothing (member names are unique by construction)."""

    def __setitem__(self, key, value) -> None:
        pass


class ZipSink(Sink):
    """A zip archive written front to back (works on unseekable streams). Media is stored, text
    is deflated. ZIP64 is on, so archives past 4 GiB or 65,535 members are fine, and member
    records wait on disk (``_SpilledInfos``) so memory stays flat however many members there are."""

    archive = True

    def __init__(self, stream, tmpdir: Path):
        super().__init__(stream)
        self.zip = zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True)
        self.zip.filelist = _SpilledInfos(Path(tmpdir) / "zip-members.pickle")
        self.zip.NameToInfo = _NoNames()
        self.date_time = time.localtime()[:6]

    def _info(self, name: str, compress: bool) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, self.date_time)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        return info

    @contextmanager
    def text(self, name: str):
        with self.zip.open(self._info(name, True), "w", force_zip64=True) as member:
            out = TextOut(member)
            yield out
            out.flush()

    def add_bytes(self, name: str, data: bytes, compress: bool = True) -> None:
        """A whole member; tiny ones (a YOLO label file) are stored, deflate would not shrink them."""
        self.zip.writestr(self._info(name, compress and len(data) >= 512), data)

    def add_file(self, name: str, path: Path, compress: bool = False) -> None:
        with open(path, "rb") as src, self.zip.open(self._info(name, compress), "w", force_zip64=True) as dest:
            shutil.copyfileobj(src, dest, 1 << 20)

    def close(self) -> None:
        self.zip.close()
        super().close()


def copy_text(path: Path, out: TextOut) -> None:
    """Append a temp text file to a member in chunks (COCO's annotations array, say)."""
    out.flush()
    with open(path, encoding="utf-8") as src:
        while chunk := src.read(1 << 20):
            out.write(chunk)
    out.flush()


def open_sink(stream: Stream, archive: bool, tmpdir: Path) -> Sink:
    return ZipSink(stream, tmpdir) if archive else PlainSink(stream)
