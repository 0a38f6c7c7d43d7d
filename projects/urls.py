"""Routes: ``api_urlpatterns`` are mounted under /api/, ``urlpatterns`` are pages."""

from django.urls import path

from labelstudio.core.routers import OptionalSlashRouter, optional_slash

from . import api, label_api, views

router = OptionalSlashRouter()
router.register("projects", api.ProjectViewSet, basename="project")
router.register("labels", label_api.LabelViewSet, basename="label")
router.register("label_links", label_api.LabelLinkViewSet, basename="label-link")

api_urlpatterns = [
    optional_slash("projects/validate", api.ConfigValidateView, name="project-config-validate"),
    path("templates/", api.TemplateListView.as_view(), name="templates"),
    *router.urls,
]

urlpatterns = [
    path("projects/", views.project_list, name="project-list-page"),
    path("projects/new/", views.project_create_page, name="project-create-page"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail-page"),
    path("projects/<int:pk>/settings/", views.project_settings, name="project-settings-page"),
    path("projects/config/preview", views.config_preview, name="project-config-preview"),
]
