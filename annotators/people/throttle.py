"""Attempt limits for logins and password resets, per account and per address.

Fixed-window counters in Django's cache (Redis in deployments, so every web process shares
them; a file cache in the embedded default). Login counts failures (a success clears the
account's counter); password reset counts every request. Limits: settings
``LOGIN_FAILURES_PER_ACCOUNT``, ``LOGIN_FAILURES_PER_ADDRESS``, ``PASSWORD_RESETS_PER_ACCOUNT``,
``PASSWORD_RESETS_PER_ADDRESS`` within ``THROTTLE_WINDOW_SECONDS`` (docs/permissions.md).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    """The client's address; the first X-Forwarded-For hop only behind a trusted proxy
    (``SECURE_PROXY_SSL_HEADER`` set means one is configured)."""
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def account_key(name: str) -> str:
    """One counter per account whichever name is typed (username or e-mail, any case); the
    typed name itself when no account has it."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    name = (name or "").strip()
    if not name:
        return ""
    user_id = (
        get_user_model()
        .objects.filter(Q(username__iexact=name) | Q(email__iexact=name))
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )
    return f"user:{user_id}" if user_id else name


def _key(scope: str, kind: str, ident: str) -> str:
    digest = hashlib.sha256(ident.strip().lower().encode()).hexdigest()[:32]
    return f"throttle:{scope}:{kind}:{digest}"


def _count(key: str) -> int:
    return int(cache.get(key) or 0)


def _bump(key: str) -> int:
    window = settings.THROTTLE_WINDOW_SECONDS
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


class Limited(Exception):
    """Too many attempts; ``str()`` is the sentence to show."""


def _limits(scope: str) -> tuple[int, int]:
    if scope == "login":
        return settings.LOGIN_FAILURES_PER_ACCOUNT, settings.LOGIN_FAILURES_PER_ADDRESS
    return settings.PASSWORD_RESETS_PER_ACCOUNT, settings.PASSWORD_RESETS_PER_ADDRESS


def check(scope: str, account: str, address: str) -> None:
    """Raise ``Limited`` when this account or address has used up its attempts."""
    per_account, per_address = _limits(scope)
    minutes = max(1, settings.THROTTLE_WINDOW_SECONDS // 60)
    if account and _count(_key(scope, "account", account)) >= per_account:
        raise Limited(f"Too many attempts for this account. Try again in {minutes} minutes.")
    if address and _count(_key(scope, "address", address)) >= per_address:
        raise Limited(f"Too many attempts from your address. Try again in {minutes} minutes.")


def record(scope: str, account: str, address: str) -> None:
    if account:
        _bump(_key(scope, "account", account))
    if address:
        _bump(_key(scope, "address", address))


def clear_account(scope: str, account: str) -> None:
    cache.delete(_key(scope, "account", account))
