"""Small request/response guards.

- ``ContentSecurityPolicyMiddleware``: Content-Security-Policy header (Django 5.2 has no CSP middleware of its own): the policy from
settings.CONTENT_SECURITY_POLICY on every HTML answer that has none yet. The pages load scripts
only as files from this server (no inline scripts or handlers), so ``script-src 'self'`` holds.
The API docs page (drf-spectacular's Swagger UI) loads its assets from a CDN with an inline
bootstrap script; it gets ``CONTENT_SECURITY_POLICY_API_DOCS``, which allows just that.
- ``RejectNulMiddleware``: refuse, with a clear 400, query strings that no database column can hold."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY
        self.docs_policy = settings.CONTENT_SECURITY_POLICY_API_DOCS

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            content_type = response.get("Content-Type", "")
            if content_type.startswith("text/html"):
                docs = request.path.startswith("/api/docs")
                response["Content-Security-Policy"] = self.docs_policy if docs else self.policy
        return response


class RejectNulMiddleware:
    """A NUL character in a query parameter (``?search=%00``) would reach a filter and make
    PostgreSQL raise; answer 400 naming the parameter instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "%00" in request.META.get("QUERY_STRING", "") or "\x00" in request.META.get("QUERY_STRING", ""):
            for key, values in request.GET.lists():
                if "\x00" in key or any("\x00" in v for v in values):
                    name = key.replace("\x00", "\\u0000")
                    return JsonResponse(
                        {"detail": f"query parameter {name!r} may not contain NUL characters", "field": name},
                        status=400,
                    )
        return self.get_response(request)
