"""Outgoing HTTP that users can point at: refuse private and loopback addresses unless allowed.

Used for URL imports, ML backends and webhooks. The check resolves the host and tests every
address it resolves to, so a DNS name that points inside the network is refused too.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlparse

from django.conf import settings

from .exceptions import ApplicationError


class UnsafeURLError(ApplicationError):
    pass


def check_url(url: str, *, allow_private: bool | None = None, allow_loopback: bool | None = None) -> str:
    """Return ``url`` if it may be fetched, else raise UnsafeURLError saying why."""
    allow_private = settings.ALLOW_PRIVATE_URLS if allow_private is None else allow_private
    allow_loopback = (settings.ALLOW_LOOPBACK_URLS or allow_private) if allow_loopback is None else allow_loopback
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https"):
        raise UnsafeURLError(f"URL scheme must be http or https, not '{parsed.scheme or 'none'}'", field="url")
    host = parsed.hostname
    if not host:
        raise UnsafeURLError("URL has no host", field="url")
    try:
        infos = socket.getaddrinfo(host, parsed.port or (443 if parsed.scheme == "https" else 80))
    except socket.gaierror as exc:
        raise UnsafeURLError(f"cannot resolve host '{host}': {exc.strerror}", field="url") from exc
    for info in infos:
        addr = ipaddress.ip_address(info[4][0].split("%")[0])
        if addr.is_loopback:
            if not allow_loopback:
                raise UnsafeURLError(
                    f"URL host '{host}' is a loopback address ({addr}), which is not allowed", field="url"
                )
        elif not addr.is_global and not allow_private:
            raise UnsafeURLError(f"URL host '{host}' is a private address ({addr}), which is not allowed", field="url")
    return url
