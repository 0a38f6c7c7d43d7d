"""Routes: ``api_urlpatterns`` are mounted under /api/, ``urlpatterns`` are pages."""

from django.urls import path

from labelstudio.core.routers import OptionalSlashRouter, optional_slash

from . import api, views

router = OptionalSlashRouter()
router.register("ml", api.MLBackendViewSet, basename="ml-backend")
router.register("predictions", api.PredictionViewSet, basename="prediction")

api_urlpatterns = [
    optional_slash("tasks/<int:pk>/predictions", api.TaskPredictionList, name="task-predictions"),
    optional_slash("projects/<int:pk>/model-versions", api.ProjectModelVersions, name="project-model-versions"),
    optional_slash(
        "projects/<int:pk>/import/predictions",
        api.ProjectImportPredictions,
        name="project-import-predictions",
    ),
    optional_slash("projects/<int:pk>/ml-settings", api.ProjectMLSettings, name="project-ml-settings"),
    *router.urls,
]
urlpatterns = [path("projects/<int:pk>/ml/", views.backends_page, name="ml-page")]
