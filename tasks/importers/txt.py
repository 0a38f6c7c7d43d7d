"""TXT: one task per non-blank line, stored under the config's single data key."""

from __future__ import annotations

from collections.abc import Iterator

from .documents import Document, ParseContext, RawRow
from .encoding import bad_byte, not_utf8_error, open_text
from .errors import RowError


def read(doc: Document, ctx: ParseContext) -> Iterator[RawRow | RowError]:
    if len(ctx.data_keys) != 1:
        keys = ", ".join(ctx.data_keys) or "none"
        yield RowError(
            file=doc.name,
            message=f"a TXT file fills one data key, but the config reads {keys}; use JSON, JSON Lines or CSV",
        )
        return
    key = ctx.data_keys[0]
    text, raw, clean = open_text(doc.path)
    with text:
        ctx.opened(raw)
        row = 0
        try:
            for line_no, line in enumerate(text, 1):
                value = line.rstrip("\r\n")
                if not value.strip():
                    continue
                row += 1
                problem = None if clean else bad_byte(value)
                if problem:
                    yield RowError(file=doc.name, row=row, line=line_no, message=problem)
                    continue
                yield RawRow(row, line_no, {key: value}, "data")
        except UnicodeDecodeError:
            yield not_utf8_error(doc.path, doc.name)
