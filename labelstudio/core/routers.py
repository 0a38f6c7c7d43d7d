"""Routes that match with or without the trailing slash, as Label Studio's API does (its clients
call both ``/api/projects/1`` and ``/api/projects/1/``): ``OptionalSlashRouter`` for viewsets and
``optional_slash(route, view, name)`` for a single view. Every app's urls.py uses these two (no
``/?$`` regexes, no pairs of routes)."""

from __future__ import annotations

from django.urls import URLPattern
from django.urls.resolvers import RoutePattern
from rest_framework.routers import SimpleRouter


class OptionalSlashRouter(SimpleRouter):
    def __init__(self):
        super().__init__(use_regex_path=True)
        self.trailing_slash = "/?"


class OptionalSlashRoute(RoutePattern):
    """A ``path()`` route (converters and all) that also matches with a trailing slash; reverse()
    gives it without."""

    def __init__(self, route: str, name: str | None = None, is_endpoint: bool = True):
        super().__init__(route.rstrip("/"), name=name, is_endpoint=is_endpoint)
        self._regex = self._regex.removesuffix(r"\Z") + r"/?\Z"

    def __str__(self) -> str:
        """As DRF's and drf-spectacular's endpoint lists read a route: the OpenAPI schema shows the
        path with its trailing slash, as for the routers' ``/?`` routes."""
        return f"{self._route}/?"


def optional_slash(route: str, view, name: str | None = None) -> URLPattern:
    """``path(route, view.as_view(), name=name)`` matching ``route`` and ``route/``."""
    callback = view.as_view() if isinstance(view, type) else view
    return URLPattern(OptionalSlashRoute(route, name=name), callback, name=name)
