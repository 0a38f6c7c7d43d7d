"""Strict JSON out: NaN and ±Infinity (stored before input was checked) become null, so a
response or an export file is always valid JSON."""

from __future__ import annotations

import json
import math


def finite(value):
    """A copy of ``value`` with non-finite floats replaced by None (only called on the rare
    value that holds one)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


def finite_json_encoder(**options):
    """``json.JSONEncoder(**options).encode`` that writes strict JSON, non-finite floats as null."""
    encode = json.JSONEncoder(allow_nan=False, **options).encode

    def safe(value) -> str:
        try:
            return encode(value)
        except ValueError:
            return encode(finite(value))

    return safe
