"""What a user may ask of an import (options) and what the server allows (limits)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings

from labelstudio.core.exceptions import ApplicationError

ALL_OR_NOTHING = "all_or_nothing"
SKIP_BAD_ROWS = "skip_bad_rows"
COMMIT_MODES = (ALL_OR_NOTHING, SKIP_BAD_ROWS)


def _as_list(value: object) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ApplicationError(
            "preannotated_from_fields must be a comma-separated list of names", field="preannotated_from_fields"
        )
    return tuple(v.strip() for v in value if v.strip())


def _as_bool(value: object, field: str) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if str(value).lower() in ("true", "1", "yes"):
        return True
    if str(value).lower() in ("false", "0", "no"):
        return False
    raise ApplicationError(f"{field} must be true or false, not '{value}'", field=field)


@dataclass(frozen=True)
class ImportOptions:
    commit_mode: str = ALL_OR_NOTHING
    #: columns / keys whose values are predictions (a result list, or a label for the control of that name)
    preannotated_from_fields: tuple[str, ...] = ()
    #: model_version stored on predictions that do not name one
    model_version: str = ""
    #: Label Studio's ``files_as_tasks_list``: a CSV/TSV holds tasks (true) or is one time series
    #: (false); unset: one series when the config has a ``<TimeSeries valueType="url">``
    files_as_tasks_list: bool | None = None

    @classmethod
    def parse(cls, raw: Mapping[str, Any] | None) -> ImportOptions:
        """Options from query/body parameters; unknown keys are ignored (Label Studio clients send some)."""
        raw = raw or {}
        mode = raw.get("commit_mode") or ALL_OR_NOTHING
        if mode not in COMMIT_MODES:
            raise ApplicationError(
                f"commit_mode must be one of {', '.join(COMMIT_MODES)}, not '{mode}'", field="commit_mode"
            )
        version = raw.get("model_version") or ""
        if not isinstance(version, str) or len(version) > 200:
            raise ApplicationError("model_version must be a string of at most 200 characters", field="model_version")
        return cls(
            commit_mode=mode,
            preannotated_from_fields=_as_list(raw.get("preannotated_from_fields")),
            model_version=version,
            files_as_tasks_list=_as_bool(raw.get("files_as_tasks_list"), "files_as_tasks_list"),
        )

    @property
    def skip_bad_rows(self) -> bool:
        return self.commit_mode == SKIP_BAD_ROWS

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["preannotated_from_fields"] = list(self.preannotated_from_fields)
        return data


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int
    max_files: int
    max_archive_bytes: int
    max_archive_ratio: int
    max_json_depth: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_file_bytes=settings.IMPORT_MAX_FILE_BYTES,
            max_files=settings.IMPORT_MAX_FILES,
            max_archive_bytes=settings.IMPORT_MAX_ARCHIVE_BYTES,
            max_archive_ratio=settings.IMPORT_MAX_ARCHIVE_RATIO,
            max_json_depth=settings.IMPORT_MAX_JSON_DEPTH,
        )


def human_bytes(n: float) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:g} {unit}" if unit == "bytes" else f"{n:.1f} {unit}".replace(".0 ", " ")
        n /= 1024
    return f"{n} bytes"
