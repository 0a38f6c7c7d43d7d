"""Fetch a task file from a URL (in the worker): every hop of a redirect passes the private-address
check, and the download stops at the file-size limit."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlparse

import requests

from labelstudio.core.net import UnsafeURLError, check_url

from .errors import ImportAborted, RowError
from .files import detect_format, safe_name, unique_path
from .options import human_bytes

MAX_REDIRECTS = 5
TIMEOUT = (10, 60)
CONTENT_TYPES = {
    "application/json": ".json",
    "application/x-ndjson": ".jsonl",
    "application/jsonl": ".jsonl",
    "text/csv": ".csv",
    "text/tab-separated-values": ".tsv",
    "text/plain": ".txt",
    "application/zip": ".zip",
    "application/gzip": ".tar.gz",
    "application/x-gzip": ".tar.gz",
    "application/x-tar": ".tar",
}


def fetch(url: str, dest: Path, max_bytes: int) -> tuple[Path, str]:
    """Download ``url`` into ``dest``; returns the file and its name as errors will show it."""
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        _check(url, current)
        try:
            response = requests.get(
                current,
                stream=True,
                timeout=TIMEOUT,
                allow_redirects=False,
                headers={"User-Agent": "labelstudio-import"},
            )
        except requests.RequestException as exc:
            raise _abort(url, f"cannot fetch the URL: {exc}") from exc
        with response:
            if response.is_redirect:
                current = urljoin(current, response.headers["Location"])
                continue
            if response.status_code != 200:
                raise _abort(url, f"fetching the URL returned HTTP {response.status_code}")
            return _save(url, current, response, dest, max_bytes)
    raise _abort(url, f"the URL redirects more than {MAX_REDIRECTS} times")


def _check(url: str, current: str) -> None:
    try:
        check_url(current)
    except UnsafeURLError as exc:
        raise _abort(url, exc.message) from exc


def _abort(url: str, message: str) -> ImportAborted:
    return ImportAborted(RowError(file=url, message=message))


def _save(url: str, final: str, response: requests.Response, dest: Path, max_bytes: int) -> tuple[Path, str]:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdecimal() and int(declared) > max_bytes:
        raise _abort(
            url, f"the file at the URL is {human_bytes(int(declared))}, more than the limit of {human_bytes(max_bytes)}"
        )
    name = safe_name(unquote(PurePosixPath(urlparse(final).path).name), default="download")
    if detect_format(name) is None:
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        name += CONTENT_TYPES.get(content_type, "")
    path = unique_path(dest, name)
    size = 0
    with path.open("wb") as out:
        for chunk in response.iter_content(1024 * 1024):
            size += len(chunk)
            if size > max_bytes:
                out.close()
                path.unlink()
                raise _abort(url, f"the file at the URL is more than the limit of {human_bytes(max_bytes)}")
            out.write(chunk)
    return path, url
