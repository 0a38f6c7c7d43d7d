"""URL map: /admin/, /api/ (every app's api_urlpatterns), /api/docs/, and the pages."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from annotators import urls as annotators_urls
from labelstudio.core import urls as core_urls
from labelstudio.webhooks import urls as webhooks_urls
from ml_backends import urls as ml_urls
from projects import urls as projects_urls
from tasks import urls as tasks_urls

APPS = [core_urls, projects_urls, tasks_urls, annotators_urls, ml_urls, webhooks_urls]

# the labeling loop's routes (annotators: next task, submit) first: URL resolution tries every
# pattern in order, and these run on every annotator request (no route is shared between apps)
API_ORDER = [annotators_urls, core_urls, projects_urls, tasks_urls, ml_urls, webhooks_urls]
api_urlpatterns = [p for app in API_ORDER for p in getattr(app, "api_urlpatterns", [])]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include(api_urlpatterns)),
    *[p for app in APPS for p in getattr(app, "urlpatterns", [])],
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
