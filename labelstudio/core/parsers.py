"""The API's JSON parser: bounded before it parses, strict about what it accepts.

- a body larger than ``API_JSON_MAX_BYTES`` is refused with 413 before it is read to the end;
- nesting deeper than ``API_JSON_MAX_DEPTH`` is a 400 (and so is nesting deep enough to exhaust
  Python's parser, which would otherwise be a RecursionError);
- numbers must be finite (``1e999``, ``NaN``, ``Infinity`` are refused: stored, they would make
  every page that shows them answer 500 and every JSON export invalid);
- no string or key may hold a NUL character (PostgreSQL's jsonb and text columns refuse it).

Every refusal is a 400/413 with ``field`` naming where in the body the problem is.
"""

from __future__ import annotations

import codecs
import itertools
import json
import math
import re

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "the request body is too large"
    default_code = "payload_too_large"


class BadJSON(ParseError):
    """A 400 that names the offending place in the body."""

    def __init__(self, message: str, field: str):
        super().__init__({"detail": message, "field": field})


def _path(parts: list) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(body)"


def json_problem(value, max_depth: int | None = None) -> tuple[str, str] | None:
    """Walk a parsed JSON value once (iteratively): depth, NUL characters, finite numbers.
    Returns (message, path) of the first offending place, or None."""
    max_depth = max_depth or settings.API_JSON_MAX_DEPTH
    stack = [(value, [], 0)]
    while stack:
        node, path, depth = stack.pop()
        if isinstance(node, dict):
            if depth >= max_depth:
                return f"the JSON is nested more than {max_depth} levels deep", _path(path)
            for key, child in node.items():
                if isinstance(key, str) and "\x00" in key:
                    return "keys may not contain NUL (\\u0000) characters", _path([*path, key])
                stack.append((child, [*path, key], depth + 1))
        elif isinstance(node, list | tuple):
            if depth >= max_depth:
                return f"the JSON is nested more than {max_depth} levels deep", _path(path)
            stack.extend((child, [*path, i], depth + 1) for i, child in enumerate(node))
        elif isinstance(node, str):
            if "\x00" in node:
                return "text may not contain NUL (\\u0000) characters", _path(path)
        elif isinstance(node, float) and not math.isfinite(node):
            return "numbers must be finite (no NaN, Infinity or values beyond ±1.8e308)", _path(path)
    return None


def check_json(value, max_depth: int | None = None) -> None:
    """``json_problem`` as a 400 (BadJSON) naming the place."""
    problem = json_problem(value, max_depth)
    if problem:
        raise BadJSON(*problem)


def body_limit(request) -> int:
    limit = settings.API_JSON_MAX_BYTES
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise PayloadTooLarge(f"the request body ({length} bytes) is larger than the limit of {limit} bytes")
    return limit


class _NonFinite(ValueError):
    pass


def _strict_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):  # 1e999
        raise _NonFinite(text)
    return value


def _no_constant(text: str):  # NaN, Infinity, -Infinity
    raise _NonFinite(text)


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_DELTA = {"[": 1, "{": 1, "]": -1, "}": -1}


def _too_deep(text: str, max_depth: int) -> bool:
    """Whether the JSON text nests deeper than ``max_depth`` (C-speed: strings removed by a regex,
    brackets summed by accumulate); only computed when there are that many brackets at all."""
    if text.count("[") + text.count("{") <= max_depth:
        return False
    brackets = [c for c in _STRING.sub("", text) if c in _DELTA]
    return max(itertools.accumulate(map(_DELTA.__getitem__, brackets)), default=0) > max_depth


def loads_checked(text: str):
    """Parse JSON text with the checks of ``check_json``, cheaply on the usual (clean) body: the
    hooks catch non-finite numbers, a substring test NUL escapes, a bracket count deep nesting;
    only a body that trips one of them is walked to name the offending place."""
    max_depth = settings.API_JSON_MAX_DEPTH
    try:
        data = json.loads(text, parse_float=_strict_float, parse_constant=_no_constant)
        suspicious = "\\u0000" in text or _too_deep(text, max_depth)
    except _NonFinite:
        data, suspicious = json.loads(text), True
    if suspicious:
        check_json(data, max_depth)
    return data


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        request = parser_context.get("request")
        limit = body_limit(request) if request is not None else settings.API_JSON_MAX_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise PayloadTooLarge(f"the request body is larger than the limit of {limit} bytes")
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            return loads_checked(codecs.decode(raw, encoding))
        except RecursionError as exc:
            raise BadJSON("the JSON is nested too deeply", "(body)") from exc
        except (ValueError, LookupError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc


def check_form(data) -> None:
    """No NUL character in a form field, raw or as a JSON escape (a field may hold JSON)."""
    for key, values in data.lists():
        for value in values:
            if isinstance(value, str) and ("\x00" in value or "\\u0000" in value):
                raise BadJSON("form fields may not contain NUL characters", key)


class SafeFormParser(FormParser):
    """URL-encoded forms: the same size limit (Django's own applies only to request.POST)."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        if request is not None:
            body_limit(request)
        data = super().parse(stream, media_type, parser_context)
        check_form(data)
        return data


class SafeMultiPartParser(MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        check_form(parsed.data)
        return parsed
