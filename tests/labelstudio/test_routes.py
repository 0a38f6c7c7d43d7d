"""Every API route answers with and without the trailing slash (labelstudio/core/routers.py), as
Label Studio's clients call both; path converters keep their types."""

import pytest
from django.urls import Resolver404, resolve, reverse

from labelstudio.urls import api_urlpatterns

SINGLE_VIEWS = [
    "/api/version",
    "/api/projects/validate",
    "/api/projects/7/tasks",
    "/api/projects/7/import",
    "/api/projects/7/imports/3/retry",
    "/api/projects/7/next",
    "/api/tasks/7/annotations",
    "/api/annotations/7/ground-truth",
    "/api/tasks/7/predictions",
    "/api/dm/views/7",
    "/api/storages/export/types",
    "/api/webhooks/7",
    "/api/ml/7",
]


@pytest.mark.parametrize("path", SINGLE_VIEWS)
def test_with_and_without_the_slash_is_the_same_view(path):
    bare, slashed = resolve(path), resolve(path + "/")
    assert bare.func == slashed.func and bare.url_name == slashed.url_name
    assert bare.kwargs == slashed.kwargs
    with pytest.raises(Resolver404):
        resolve(path + "//")


def test_converters_keep_their_types_and_reverse_gives_the_bare_path():
    match = resolve("/api/projects/12/imports/5/")
    assert match.kwargs == {"pk": 12, "job_pk": 5}
    assert reverse("project-import-detail", kwargs={"pk": 12, "job_pk": 5}) == "/api/projects/12/imports/5"
    with pytest.raises(Resolver404):
        resolve("/api/projects/x/next")


def test_no_route_is_listed_twice_for_its_slash():
    routes = [str(p.pattern).removesuffix("/?").removesuffix("/") for p in api_urlpatterns]
    assert len(routes) == len(set(routes))
