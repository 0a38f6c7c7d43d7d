"""Text files are UTF-8, with or without a BOM; UTF-16 with a BOM is accepted too.

We do not guess legacy encodings: a Latin-1 file read as something else silently corrupts data,
so a byte that is not UTF-8 is an error naming its line. A file is checked at C speed first; only
a file with bad bytes is read with ``surrogateescape`` so that its good rows can still be kept
(``skip_bad_rows``) and each bad row is reported where it is.
"""

from __future__ import annotations

import codecs
import io
import re
from pathlib import Path
from typing import BinaryIO

from .errors import RowError

BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
ESCAPED = re.compile("[\udc80-\udcff]")
CHUNK = 1024 * 1024


def sniff_encoding(path: Path) -> str:
    with path.open("rb") as f:
        head = f.read(4)
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding
    return "utf-8"


def decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as f:
            while chunk := f.read(CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def open_text(path: Path) -> tuple[io.TextIOWrapper, BinaryIO, bool]:
    """(text reader with ``newline=""`` for csv, the binary file under it for tell(), clean).

    When not ``clean``, undecodable bytes come through as lone surrogates: see ``bad_byte``.
    """
    encoding = sniff_encoding(path)
    clean = decodes(path, encoding)
    raw = path.open("rb", buffering=CHUNK)
    errors = "strict" if clean or encoding == "utf-16" else "surrogateescape"
    return io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline=""), raw, clean


def bad_byte(text: str) -> str | None:
    """The message for a row read with ``surrogateescape`` that holds a byte that is not UTF-8."""
    match = ESCAPED.search(text)
    if match is None:
        return None
    column = len(text[: match.start()].rsplit("\n", 1)[-1]) + 1
    return (
        f"the file is not UTF-8 text: byte 0x{ord(match.group()) - 0xDC00:02X} at column {column} cannot be "
        "decoded; save the file as UTF-8 and import it again"
    )


def first_invalid_utf8(path: Path) -> tuple[int, int, int] | None:
    """(line, column, byte) of the first byte that is not UTF-8, or None if the file is clean."""
    if sniff_encoding(path) == "utf-16":
        return None
    with path.open("rb") as f:
        for line_no, line in enumerate(f, 1):
            if line_no == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[3:]
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                return line_no, exc.start + 1, line[exc.start]
    return None


def not_utf8_error(path: Path, name: str) -> RowError:
    where = first_invalid_utf8(path)
    if where is None:
        return RowError(file=name, message="the file is not valid text in its declared encoding (UTF-16 BOM)")
    line, column, byte = where
    return RowError(
        file=name,
        line=line,
        message=f"the file is not UTF-8 text: byte 0x{byte:02X} at column {column} "
        "cannot be decoded; save the file as UTF-8 and import it again",
    )
