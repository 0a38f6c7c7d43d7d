"""Refuse, with a clear 400, query strings that no database column can hold."""

from __future__ import annotations

from django.http import JsonResponse


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
