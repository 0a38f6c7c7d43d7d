"""Routes: ``api_urlpatterns`` are mounted under /api/, ``urlpatterns`` are pages."""

from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from labelstudio.core.routers import OptionalSlashRouter, optional_slash

from . import api, views

router = OptionalSlashRouter()
router.register("jobs", api.JobViewSet, basename="job")

api_urlpatterns = [
    *router.urls,
    optional_slash("version", views.version, name="version"),
]

urlpatterns = [
    path("", RedirectView.as_view(url="/projects/", permanent=False)),
    path("user/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("health", views.health, name="health"),
]
