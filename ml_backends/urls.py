"""Routes: ``api_urlpatterns`` are mounted under /api/, ``urlpatterns`` are pages."""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from . import api, views

router = SimpleRouter()
router.trailing_slash = "/?"  # both /api/ml/1/train and /train/ (the constructor only takes a bool)
router.register("ml", api.MLBackendViewSet, basename="ml-backend")
router.register("predictions", api.PredictionViewSet, basename="prediction")

api_urlpatterns = [
    re_path(r"^tasks/(?P<pk>\d+)/predictions/?$", api.TaskPredictionList.as_view(), name="task-predictions"),
    re_path(
        r"^projects/(?P<pk>\d+)/model-versions/?$", api.ProjectModelVersions.as_view(), name="project-model-versions"
    ),
    re_path(
        r"^projects/(?P<pk>\d+)/import/predictions/?$",
        api.ProjectImportPredictions.as_view(),
        name="project-import-predictions",
    ),
    re_path(r"^projects/(?P<pk>\d+)/ml-settings/?$", api.ProjectMLSettings.as_view(), name="project-ml-settings"),
    *router.urls,
]
urlpatterns = [path("projects/<int:pk>/ml/", views.backends_page, name="ml-page")]
