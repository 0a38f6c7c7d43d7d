"""Admin: backends, predictions and ML settings (writes go through the services)."""

from django.contrib import admin

from . import services
from .models import MLBackend, MLSettings, Prediction


@admin.register(MLBackend)
class MLBackendAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "project", "url", "state", "model_version", "is_interactive", "last_checked_at"]
    list_filter = ["state", "is_interactive"]
    search_fields = ["title", "url"]
    readonly_fields = ["state", "error_message", "model_version", "last_checked_at", "completions_since_train"]
    actions = ["check_health"]

    @admin.action(description="Check health now")
    def check_health(self, request, queryset):
        for backend in queryset.select_related("project"):
            services.ml_backend_check(backend=backend)


@admin.register(Prediction)
class PredictionAdmin(admin.ModelAdmin):
    list_display = ["id", "task", "project", "model_version", "score", "ml_backend", "created_at"]
    list_filter = ["model_version"]
    raw_id_fields = ["task", "project", "ml_backend", "import_job"]


@admin.register(MLSettings)
class MLSettingsAdmin(admin.ModelAdmin):
    list_display = ["project", "auto_prelabel", "prelabel_batch_size", "prelabel_concurrency", "hitl_score_threshold"]
