"""Serializer fields shared by the apps."""

from __future__ import annotations

import math

from rest_framework import serializers


class FiniteFloatField(serializers.FloatField):
    """A float that is a real number: "inf", "nan" and 1e999 (from forms or query strings; JSON
    bodies are checked by the parser already) are refused instead of stored."""

    default_error_messages = {"not_finite": "must be a finite number"}

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not math.isfinite(value):
            self.fail("not_finite")
        return value
