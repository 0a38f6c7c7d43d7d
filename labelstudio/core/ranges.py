"""HTTP range requests (RFC 9110 §14) for media files: browsers seek in video and audio by asking
for ``Range: bytes=a-b`` and need ``206 Partial Content`` answers (Chromium will not seek a
``<video>`` served only with 200). One range per request (what media elements send); a
multi-range or malformed header is ignored and the whole file is sent, as the RFC allows;
an unsatisfiable one gets 416 with ``Content-Range: bytes */<size>``.
"""

from __future__ import annotations

import os
import re

from django.http import FileResponse, HttpResponse, StreamingHttpResponse

RANGE_RE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)
CHUNK = 256 * 1024


class Unsatisfiable(Exception):
    pass


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """``(first, last)`` byte positions (inclusive) of a single-range header, None for the whole
    file; raises ``Unsatisfiable`` when the range starts past the end."""
    match = RANGE_RE.match(header or "")
    if not match:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # suffix: the last N bytes
        length = int(last)
        if length == 0:
            raise Unsatisfiable
        return max(size - length, 0), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None  # invalid: ignore the header
    if start >= size:
        raise Unsatisfiable
    return start, min(end, size - 1)


def _chunks(handle, remaining: int):
    try:
        while remaining > 0:
            block = handle.read(min(CHUNK, remaining))
            if not block:
                break
            remaining -= len(block)
            yield block
    finally:
        handle.close()


def ranged_file_response(request, handle, content_type: str) -> HttpResponse:
    """A 200 ``FileResponse`` or a 206 slice of ``handle`` (a seekable binary file) per ``Range``."""
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    handle.seek(0)
    try:
        wanted = parse_range(request.headers.get("Range"), size)
    except Unsatisfiable:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return response
    if wanted is None:
        response = FileResponse(handle, content_type=content_type)
    else:
        first, last = wanted
        handle.seek(first)
        response = StreamingHttpResponse(_chunks(handle, last - first + 1), status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
    response["Accept-Ranges"] = "bytes"
    return response
