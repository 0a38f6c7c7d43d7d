"""Reads for webhooks."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from projects.models import Membership

from .models import Webhook


def webhook_list_for(user: User) -> QuerySet[Webhook]:
    """Webhooks carry secrets in their headers: only the project's managers see them."""
    qs = Webhook.objects.select_related("project")
    if user.is_superuser:
        return qs
    return qs.filter(project__memberships__user=user, project__memberships__role=Membership.Role.MANAGER)
