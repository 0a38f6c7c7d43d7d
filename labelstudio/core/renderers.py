"""The API's JSON renderer: a value that JSON cannot carry (NaN, ±Infinity, stored before input
was checked) is rendered as null instead of making the whole response a 500."""

from __future__ import annotations

import math

from rest_framework.renderers import JSONRenderer


def finite(value):
    """A copy of ``value`` with non-finite floats replaced by None (only called on the rare
    response that holds one)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


class SafeJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except ValueError as exc:
            if "Out of range float" not in str(exc):
                raise
            return super().render(finite(data), accepted_media_type, renderer_context)
