"""JSON Lines: one task object per line; a bad line is an error for that line only."""

from __future__ import annotations

import json
from collections.abc import Iterator

from .documents import Document, ParseContext, RawRow
from .errors import RowError

MAX_LINE_BYTES = 64 * 1024 * 1024


def read(doc: Document, ctx: ParseContext) -> Iterator[RawRow | RowError]:
    with doc.path.open("rb", buffering=1024 * 1024) as f:
        ctx.opened(f)
        line_no = row = 0
        while True:
            raw = f.readline(MAX_LINE_BYTES)
            if not raw:
                return
            line_no += 1
            if len(raw) == MAX_LINE_BYTES and not raw.endswith(b"\n"):
                while (rest := f.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                    pass
                yield RowError(file=doc.name, line=line_no, message=f"line is longer than {MAX_LINE_BYTES} bytes")
                continue
            if line_no == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            row += 1
            try:
                obj = json.loads(raw)
            except UnicodeDecodeError as exc:
                yield RowError(
                    file=doc.name,
                    row=row,
                    line=line_no,
                    message=f"the line is not UTF-8 text (byte {exc.start + 1} cannot be decoded)",
                )
                continue
            except json.JSONDecodeError as exc:
                yield RowError(
                    file=doc.name, row=row, line=line_no, message=f"malformed JSON at column {exc.colno}: {exc.msg}"
                )
                continue
            except RecursionError:
                yield RowError(file=doc.name, row=row, line=line_no, message="JSON is nested too deeply")
                continue
            yield RawRow(row, line_no, obj)
