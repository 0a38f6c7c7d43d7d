"""The API's JSON renderer: a value that JSON cannot carry (NaN, ±Infinity, stored before input
was checked) is rendered as null instead of making the whole response a 500."""

from __future__ import annotations

from rest_framework.renderers import JSONRenderer

from .jsonsafe import finite


class SafeJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except ValueError as exc:
            if "Out of range float" not in str(exc):
                raise
            return super().render(finite(data), accepted_media_type, renderer_context)
