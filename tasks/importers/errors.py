"""Import errors are data: each names the file, the row or line, the key and what is wrong.

``ErrorLog`` keeps the first ``MAX_LISTED`` and counts the rest, so a million bad rows cost no
memory. ``ImportAborted`` stops the whole import (a limit, an unsafe archive, an unreadable
source): nothing is written whatever the commit mode.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

MAX_LISTED = 100


@dataclass(frozen=True)
class RowError:
    file: str
    message: str
    row: int | None = None
    line: int | None = None
    key: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        elif self.row is not None:
            where.append(f"row {self.row}")
        if self.key:
            where.append(self.key)
        return f"{', '.join(where)}: {self.message}"


class ImportAborted(Exception):
    """The import cannot go on at all; ``error`` says where and why."""

    def __init__(self, error: RowError):
        super().__init__(str(error))
        self.error = error


class ErrorLog:
    def __init__(self) -> None:
        self.listed: list[RowError] = []
        self.count = 0
        self.bad_rows = 0

    def add(self, error: RowError) -> None:
        self.count += 1
        if len(self.listed) < MAX_LISTED:
            self.listed.append(error)

    def add_row(self, errors: list[RowError]) -> None:
        """All errors of one rejected row."""
        self.bad_rows += 1
        for error in errors:
            self.add(error)

    def as_list(self) -> list[dict[str, Any]]:
        return [e.as_dict() for e in self.listed]
