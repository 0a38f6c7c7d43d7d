"""The outgoing webhook row (moved from ml_backends with its rows: migrations 0001-0002)."""

from django.db import models

from labelstudio.core.models import TimeStampedModel


class Webhook(TimeStampedModel):
    """An outgoing webhook: events of a project POSTed to a URL by the worker, with retries."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=2000)
    events = models.JSONField(default=list, blank=True, help_text="event names; empty = all events")
    send_payload = models.BooleanField(default=True)
    headers = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)
    last_status = models.CharField(max_length=200, blank=True, help_text="outcome of the last delivery")
    last_delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["project", "is_active"], name="webhook_project_active_idx")]

    def __str__(self) -> str:
        return f"webhook {self.pk} -> {self.url}"

    def wants(self, event: str) -> bool:
        return self.is_active and (not self.events or event in self.events)
