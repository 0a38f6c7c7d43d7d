"""JSON task files: a list of tasks or one task object, parsed as a stream (ijson, C backend).

Memory stays flat whatever the file size. ijson's C backend does not say where a syntax error
is, so on error we run its pure-Python backend over the file once more to get the character
offset and turn it into a line and column (files up to ``LOCATE_MAX_BYTES``; bigger files get
the range of lines of the chunk being parsed).
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import ijson
import ijson.backends.python as ijson_python
import ijson.utils as ijson_utils

from .documents import Document, ParseContext, RawRow
from .encoding import not_utf8_error, sniff_encoding
from .errors import RowError

LOCATE_MAX_BYTES = 64 * 1024 * 1024
CHUNK = 256 * 1024


def read(doc: Document, ctx: ParseContext) -> Iterator[RawRow | RowError]:
    if sniff_encoding(doc.path) == "utf-16":
        yield RowError(file=doc.name, line=1, message="JSON files must be UTF-8; this one is UTF-16")
        return
    with doc.path.open("rb") as f:
        ctx.opened(f)
        start = _skip_bom(f)
        head = f.read(4096).lstrip()
        while not head:
            more = f.read(CHUNK)
            if not more:
                yield RowError(file=doc.name, message="the file is empty")
                return
            head = more.lstrip()
        first = head[:1]
        f.seek(start)
        if first == b"[":
            prefix = "item"
        elif first == b"{":
            prefix = ""
        else:
            yield RowError(file=doc.name, line=1, message="expected a JSON list of tasks or one task object")
            return
        row = 0
        try:
            for obj in ijson.items(f, prefix, use_float=True, buf_size=CHUNK):
                row += 1
                yield RawRow(row, None, obj)
        except ijson.JSONError as exc:
            yield _syntax_error(doc, exc, start, f.tell())


def _skip_bom(f: BinaryIO) -> int:
    if f.read(3) == b"\xef\xbb\xbf":
        return 3
    f.seek(0)
    return 0


def _syntax_error(doc: Document, exc: Exception, start: int, consumed: int) -> RowError:
    text = str(exc)
    if "UTF8" in text or "UTF-8" in text or isinstance(exc.__cause__, UnicodeDecodeError):
        return not_utf8_error(doc.path, doc.name)
    reason = text.strip().splitlines()[0] if text.strip() else "incomplete JSON"
    if doc.path.stat().st_size <= LOCATE_MAX_BYTES:
        located = _locate(doc.path, start)
        if located:
            line, column, detail = located
            return RowError(
                file=doc.name, line=line, message=f"malformed JSON at line {line}, column {column}: {reason or detail}"
            )
    first, last = _lines_of_chunk(doc.path, max(consumed - CHUNK, 0), consumed)
    return RowError(file=doc.name, line=first, message=f"malformed JSON between lines {first} and {last}: {reason}")


def _locate(path: Path, start: int) -> tuple[int, int, str] | None:
    """(line, column, message) of the first syntax error: the position of the last token ijson's
    pure-Python lexer produced before its parser gave up (ijson 3.4's internal coroutines)."""
    last = [0]

    # ijson has no type hints: its decorator is untyped (mypy: "makes function untyped")
    @ijson_utils.coroutine  # type: ignore[misc]
    def track(target: Generator[None, Any, None]) -> Generator[None, Any, None]:
        while True:
            event = yield
            if event[0] is not None and event[0] >= 0:
                last[0] = event[0]
            target.send(event)

    @ijson_utils.coroutine  # type: ignore[misc]  # untyped decorator, as above
    def discard() -> Generator[None, Any, None]:
        while True:
            yield

    coro = ijson_python.utf8_encoder(ijson_python.Lexer(track(ijson_python.parse_value(discard(), False, False))))
    try:
        with path.open("rb") as f:
            f.seek(start)
            while chunk := f.read(CHUNK):
                coro.send(chunk)
        coro.close()
    except (ijson.JSONError, StopIteration) as exc:
        detail = str(exc)
    except UnicodeDecodeError:
        return None
    else:
        return None
    offset = last[0]
    with path.open("r", encoding="utf-8", errors="replace") as text:
        if start:
            text.read(1)  # the BOM
        content = text.read(offset)
    line = content.count("\n") + 1
    column = offset - (content.rfind("\n") + 1) + 1
    return line, column, detail


def _lines_of_chunk(path: Path, begin: int, end: int) -> tuple[int, int]:
    """First and last line numbers of the bytes [begin, end) of the file."""
    first = last = 1
    pos = 0
    with path.open("rb") as f:
        while pos < end:
            block = f.read(min(CHUNK, end - pos))
            if not block:
                break
            if pos < begin:
                first += block.count(b"\n", 0, min(len(block), begin - pos))
            last += block.count(b"\n")
            pos += len(block)
    return first, last
