"""A request whose database connection dies under it runs again on a fresh connection
(at most twice).

``CONN_HEALTH_CHECKS`` (settings) already reopens a kept connection that the server dropped
between requests. This covers a drop *during* a request (PostgreSQL restarted, failed over, or
``pg_terminate_backend``): the view's transaction was rolled back with the connection, so running
the view again is safe; a submit that had in fact committed answers as a resubmit does. Only a
small body (kept in memory) can be replayed; streamed uploads are not retried.
"""

from __future__ import annotations

import io
import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections

log = logging.getLogger(__name__)
RETRIES = 2


def _dropped(exception: Exception) -> bool:
    """Did the database end the connection (server shutdown, admin termination, lost link)?"""
    if not isinstance(exception, OperationalError | InterfaceError):
        return False
    state = getattr(exception.__cause__, "sqlstate", None) or ""
    if state:
        return state.startswith(("08", "57P"))  # connection exception, operator intervention
    return "connection" in str(exception).lower()


def _reset_connections() -> bool:
    """Close the connections that are gone; False when one is inside a transaction block (the
    caller owns it: nothing is retried)."""
    for conn in connections.all(initialized_only=True):
        if conn.in_atomic_block:
            return False
        if conn.connection is not None and not conn.is_usable():
            conn.close()
    return True


class RetryDroppedConnection:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        ctype = request.META.get("CONTENT_TYPE", "")
        replayable = length <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE and not ctype.startswith("multipart/")
        if replayable and length:
            request.body  # noqa: B018 - read now, so the view can read it again on a retry
        request._retry = (view_func, view_args, view_kwargs) if replayable else None
        request._retries_left = RETRIES
        return None

    def process_exception(self, request, exception):
        again = getattr(request, "_retry", None)
        if again is None or request._retries_left <= 0 or not _dropped(exception):
            return None
        if not _reset_connections():
            return None
        request._retries_left -= 1
        log.warning("%s %s: database connection lost (%s); running it again", request.method, request.path, exception)
        if hasattr(request, "_body"):
            request._stream = io.BytesIO(request._body)
            request._read_started = False
        view_func, view_args, view_kwargs = again
        try:
            return view_func(request, *view_args, **view_kwargs)
        except Exception as exc:  # noqa: BLE001 - lost again: another try, else Django's 500
            response = self.process_exception(request, exc)
            if response is None:
                raise
            return response
