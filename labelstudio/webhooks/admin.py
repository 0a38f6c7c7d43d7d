"""Admin: webhooks."""

from django.contrib import admin

from .models import Webhook


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ["id", "project", "url", "is_active", "send_payload", "last_status", "last_delivered_at"]
    list_filter = ["is_active"]
