"""CSV and TSV: the header row names the data keys; every other row is one task.

The delimiter of a ``.csv`` is detected from the first rows: of ``, ; | TAB`` we take the one
under which the header names the most of the config's data keys and the rows agree in length
(csv.Sniffer alone is fooled by text columns full of commas). A ragged row, a bad quote or a
byte that is not UTF-8 is an error naming the line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import TextIO

from .documents import Document, ParseContext, RawRow
from .encoding import bad_byte, not_utf8_error, open_text
from .errors import RowError

CANDIDATES = (",", ";", "\t", "|")
SAMPLE_CHARS = 64 * 1024
csv.field_size_limit(64 * 1024 * 1024)


def detect_delimiter(sample: str, data_keys: list[str]) -> str:
    keys = set(data_keys)
    best, best_score = ",", None
    for delimiter in CANDIDATES:
        try:
            rows = list(_head_rows(sample, delimiter))
        except csv.Error:
            continue
        if not rows:
            continue
        header = [h.strip() for h in rows[0]]
        consistent = sum(1 for r in rows[1:] if len(r) == len(header))
        score = (len(keys & set(header)), len(header) > 1 and consistent == len(rows) - 1, consistent, len(header))
        if best_score is None or score > best_score:
            best, best_score = delimiter, score
    return best


def _head_rows(sample: str, delimiter: str, limit: int = 50) -> Iterator[list[str]]:
    if len(sample) >= SAMPLE_CHARS:  # drop the last, probably cut, line
        sample = sample[: sample.rfind("\n") + 1] or sample
    for n, row in enumerate(csv.reader(io.StringIO(sample), delimiter=delimiter, strict=True)):
        if n >= limit:
            return
        yield row


def read(doc: Document, ctx: ParseContext) -> Iterator[RawRow | RowError]:
    text, raw, clean = open_text(doc.path)
    with text:
        ctx.opened(raw)
        try:
            yield from _rows(doc, ctx, text, clean)
        except UnicodeDecodeError:  # a UTF-16 file with bad bytes
            yield not_utf8_error(doc.path, doc.name)


def _rows(doc: Document, ctx: ParseContext, text: TextIO, clean: bool) -> Iterator[RawRow | RowError]:
    sample = text.read(SAMPLE_CHARS)
    if not sample.strip():
        yield RowError(file=doc.name, message="the file is empty")
        return
    delimiter = "\t" if doc.fmt == "tsv" else detect_delimiter(sample, ctx.data_keys)
    text.seek(0)
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        yield RowError(file=doc.name, line=reader.line_num, message=f"cannot read the header row: {exc}")
        return
    header = [h.strip() for h in header]
    problem = _header_problem(header) or (None if clean else bad_byte("\t".join(header)))
    if problem:
        yield RowError(file=doc.name, line=1, message=problem)
        return
    width = len(header)
    row = 0
    last_line = reader.line_num
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield RowError(file=doc.name, row=row + 1, line=last_line + 1, message=f"malformed CSV: {exc}")
            return
        line, last_line = last_line + 1, reader.line_num
        if not values or (len(values) == 1 and not values[0].strip() and width > 1):
            continue
        row += 1
        if len(values) != width:
            yield RowError(
                file=doc.name, row=row, line=line, message=f"the row has {len(values)} fields, the header has {width}"
            )
            continue
        if not clean:
            problem = bad_byte("\t".join(values))
            if problem:
                yield RowError(file=doc.name, row=row, line=line, message=problem)
                continue
        yield RawRow(row, line, dict(zip(header, values)), "data")  # noqa: B905 - lengths checked above


def _header_problem(header: list[str]) -> str | None:
    for i, name in enumerate(header, 1):
        if not name:
            return f"column {i} of the header row has no name"
    seen = set()
    for name in header:
        if name in seen:
            return f"column '{name}' appears twice in the header row"
        seen.add(name)
    return None
