"""Serializer fields shared by the apps."""

from __future__ import annotations

import math

from django.core.validators import RegexValidator
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


class HeadersField(serializers.DictField):
    """Outgoing HTTP headers: token names, values on one line (a CR/LF would split the request)."""

    _name = RegexValidator(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$", "not a valid header name")

    def __init__(self, **kwargs):
        child = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=8192)
        child.validators.append(
            RegexValidator(r"[\r\n]", "header values may not contain line breaks", inverse_match=True)
        )
        super().__init__(child=child, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        for name in value:
            self._name(name)
        return value
