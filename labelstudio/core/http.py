"""A small JSON-over-HTTP client for outgoing calls (ML backends, webhooks): it never raises.

Every call returns an ``HTTPResult`` instead of raising (as Label Studio's ``ml/api_connector.py``
does), so a dead or slow server becomes a value the caller records, never a crash in a request
or a job. Transient failures (connection errors, timeouts, 5xx, 429) are retried with exponential
backoff; bodies are read as a stream and cut at ``max_bytes``; the URL is checked before every
call (core/net.check_url), so a host whose DNS later points inside the network is refused.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from labelstudio.core.exceptions import ApplicationError
from labelstudio.core.net import UnsafeURLError, check_url

MAX_RESPONSE_BYTES = 20 * 1024 * 1024
SHORT_TIMEOUT = 5.0  # health, setup, versions: calls made from the request path
EVENT_TIMEOUT = 10.0  # an event POST (webhook, ML /webhook and /train) only starts work there
TRANSIENT_STATUS = {429, 500, 502, 503, 504}


@dataclass
class HTTPResult:
    ok: bool
    status_code: int | None = None
    data: Any = None
    error: str = ""
    attempts: int = 0
    elapsed: float = 0.0
    transient: bool = field(default=False, repr=False)

    def __bool__(self) -> bool:
        return self.ok


class JSONClient:
    """One server: base URL, optional Basic auth and extra headers, default timeout and retries."""

    def __init__(
        self,
        url: str,
        *,
        auth: tuple[str, str] | None = None,
        headers: dict | None = None,
        timeout: float = 100.0,
        retries: int = 2,
        backoff: float = 0.5,
        max_bytes: int = MAX_RESPONSE_BYTES,
        url_check: Callable[[str], Any] | None = check_url,
        pool_size: int = 10,
    ):
        self.url = url
        self.base_url = url.rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_bytes = max_bytes
        self.url_check = url_check
        self.session = requests.Session()
        self.session.auth = auth
        self.session.headers.update({str(k): str(v) for k, v in (headers or {}).items()})
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=max(pool_size, 1))
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def close(self) -> None:
        self.session.close()

    # --- transport --------------------------------------------------------------------------
    def call(
        self,
        method: str,
        path: str,
        payload: Any = None,
        *,
        timeout: float | None = None,
        retries: int | None = None,
    ) -> HTTPResult:
        """One protocol call with retries on transient failures; never raises."""
        timeout = self.timeout if timeout is None else timeout
        retries = self.retries if retries is None else retries
        url = self.base_url + path if path else self.url
        started = time.monotonic()
        result = HTTPResult(ok=False)
        for attempt in range(retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            result = self._once(method, url, payload, timeout)
            result.attempts = attempt + 1
            if result.ok or not result.transient:
                break
        result.elapsed = time.monotonic() - started
        return result

    def _once(self, method: str, url: str, payload: Any, timeout: float) -> HTTPResult:
        if self.url_check is not None:
            try:
                self.url_check(url)
            except UnsafeURLError as exc:
                return HTTPResult(ok=False, error=exc.message)
        body = None if payload is None else json.dumps(payload, default=str).encode()
        headers = {"Content-Type": "application/json"} if body is not None else {}
        deadline = time.monotonic() + timeout
        try:
            with self.session.request(
                method,
                url,
                data=body,
                headers=headers,
                timeout=(min(timeout, SHORT_TIMEOUT), timeout),
                stream=True,
                allow_redirects=False,
            ) as resp:
                raw = self._read(resp, deadline)
                status = resp.status_code
        except _TooLarge:
            return HTTPResult(ok=False, error=f"response larger than {self.max_bytes // (1024 * 1024)} MB")
        except (requests.Timeout, _Deadline):
            return HTTPResult(ok=False, error=f"timed out after {timeout:g} s", transient=True)
        except requests.ConnectionError as exc:
            return HTTPResult(ok=False, error=f"cannot connect: {connection_error_text(exc, url)}", transient=True)
        except requests.RequestException as exc:
            return HTTPResult(ok=False, error=f"request failed: {_short(exc)}")
        if status >= 400:
            text = raw[:300].decode("utf-8", "replace").strip()
            return HTTPResult(
                ok=False, status_code=status, error=f"HTTP {status}: {text}", transient=status in TRANSIENT_STATUS
            )
        try:
            data = json.loads(raw) if raw.strip() else {}
        except ValueError:
            return HTTPResult(ok=False, status_code=status, error="response is not JSON")
        return HTTPResult(ok=True, status_code=status, data=data)

    def _read(self, resp: requests.Response, deadline: float) -> bytes:
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdecimal() and int(declared) > self.max_bytes:
            raise _TooLarge()
        chunks, size = [], 0
        for chunk in resp.iter_content(64 * 1024):
            size += len(chunk)
            if size > self.max_bytes:
                raise _TooLarge()
            if time.monotonic() > deadline:
                raise _Deadline()
            chunks.append(chunk)
        return b"".join(chunks)


class _TooLarge(Exception):
    pass


class _Deadline(Exception):
    pass


def connection_error_text(exc: Exception, url: str) -> str:
    """A sentence a manager can act on instead of urllib3's repr chain (``HTTPConnectionPool(...)``)."""
    parts = urlsplit(url)
    where = parts.netloc or url
    text = str(exc)
    low = text.lower()
    if "refused" in low:
        return f"nothing is listening at {where} (connection refused). Is the ML backend running?"
    if "name or service not known" in low or "nodename nor servname" in low or "name resolution" in low:
        return f"the host name in {where} does not resolve (DNS). Check the URL."
    if "no route to host" in low or "network is unreachable" in low:
        return f"no network route to {where}. Check the URL and the firewall."
    if "ssl" in low or "certificate" in low:
        return f"the TLS handshake with {where} failed (certificate or protocol). Check https/http."
    if "reset by peer" in low or "remotedisconnected" in low or "aborted" in low:
        return f"{where} closed the connection without an answer. Is it an ML backend?"
    return f"{where} is not reachable."


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) <= 200 else text[:200] + "..."


# --- events to other servers (webhooks, ML backends' /webhook) --------------------------------
class DeliveryError(Exception):
    """A delivery that may succeed later (connection error, timeout, 5xx): Celery retries it."""


#: Celery retry options of an outgoing delivery (webhooks, ML backend events): transient
#: failures (DeliveryError) retried with jittered exponential back-off, six times
DELIVERY_RETRY = {
    "autoretry_for": (DeliveryError,),
    "retry_backoff": 2,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 6,
}


def post_event(client: JSONClient, body: dict, path: str = "", *, timeout: float = EVENT_TIMEOUT) -> None:
    """POST an event with the client's headers/auth; raise DeliveryError when worth retrying,
    ApplicationError when the server refused it (4xx, unsafe URL)."""
    result = client.call("POST", path, body, timeout=timeout, retries=0)
    if not result.ok:
        if result.transient:
            raise DeliveryError(result.error)
        raise ApplicationError(result.error)
