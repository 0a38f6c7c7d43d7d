"""Routes: ``api_urlpatterns`` are mounted under /api/."""

from labelstudio.core.routers import OptionalSlashRouter

from . import api

router = OptionalSlashRouter()
router.register("webhooks", api.WebhookViewSet, basename="webhook")

api_urlpatterns = [*router.urls]
