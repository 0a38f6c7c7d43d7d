"""Invitations into an organization: the organization-wide link (no e-mail) and invitations sent
to one address. Both carry a role (never above their creator's), may expire and can be revoked."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def new_invite_token() -> str:
    return secrets.token_urlsafe(24)


class Invite(models.Model):
    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="invites")
    token = models.CharField(max_length=64, unique=True, default=new_invite_token)
    role = models.CharField(max_length=16, default="annotator", help_text="organization role given on signup")
    email = models.EmailField(blank=True, help_text="empty: the organization-wide link")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True, help_text="e-mail invitations are used once")

    class Meta:
        app_label = "annotators"
        ordering = ["-id"]
        indexes = [models.Index(fields=["organization", "email"], name="invite_org_email_idx")]

    def __str__(self) -> str:
        return f"invite to {self.organization_id} as {self.role}"

    @property
    def is_link(self) -> bool:
        return not self.email

    def usable(self, now=None) -> bool:
        now = now or timezone.now()
        if self.revoked_at or (self.email and self.used_at):
            return False
        return self.expires_at is None or self.expires_at > now
