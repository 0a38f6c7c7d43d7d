"""One error shape for the whole API: {"detail": sentence, ...where it applies: field, tag, line, row}."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

log = logging.getLogger(__name__)


class ApplicationError(Exception):
    """A domain error raised by services; the API turns it into a 400 (or ``status_code``)."""

    status_code: int = status.HTTP_400_BAD_REQUEST

    def __init__(self, message: str, *, status_code: int | None = None, **extra: object):
        super().__init__(message)
        self.message = message
        self.extra = extra
        if status_code:
            self.status_code = status_code


class ConflictError(ApplicationError):
    status_code = status.HTTP_409_CONFLICT


class NotFound(ApplicationError, Http404):
    """404: no such object, or one the user may not know exists (the same answer, so ids don't
    leak). Also Django's Http404, so a page raising it answers the 404 page."""

    status_code = status.HTTP_404_NOT_FOUND


class Forbidden(ApplicationError, PermissionDenied):
    """403: the user sees the object but their role does not allow this. Also Django's
    PermissionDenied, so a page raising it answers the 403 page."""

    status_code = status.HTTP_403_FORBIDDEN


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DataError):  # a value the database cannot hold that no check caught: the client's fault
        log.warning("database refused a value: %s", exc)
        set_rollback()
        reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else "invalid value"
        return Response({"detail": f"a value in the request cannot be stored: {reason}"}, status=400)
    if isinstance(exc, ApplicationError):
        return Response({"detail": exc.message, **exc.extra}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        detail: dict[str, Any]
        if hasattr(exc, "error_dict"):
            detail = exc.message_dict
        else:
            detail = {"detail": " ".join(exc.messages)}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        response.data = {"detail": " ".join(str(x) for x in response.data)}
    return response


def int_param(value: object, field: str, *, required: bool = False) -> int | None:
    """An id or number from a query parameter or body: an int, or a 400 naming ``field``."""
    if value is None or value == "":
        if required:
            raise ApplicationError(f"{field} is required", field=field)
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ApplicationError(f"{field} must be an integer", field=field)
    try:
        number = int(value)
    except ValueError as exc:
        raise ApplicationError(f"{field} must be an integer, not {str(value)[:50]!r}", field=field) from exc
    if not -(2**63) <= number < 2**63:
        raise ApplicationError(f"{field} is out of range", field=field)
    return number
