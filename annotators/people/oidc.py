"""Optional single sign-on through OpenID Connect (mozilla-django-oidc), on when
``OIDC_RP_CLIENT_ID`` is set (docs/permissions.md, "Single sign-on").

People who sign in for the first time get an account in ``OIDC_ORGANIZATION`` (default: the
first organization) with ``OIDC_DEFAULT_ROLE`` (annotator); an existing account is matched by its
e-mail only when the provider says the address is verified (``email_verified``), so a provider
that lets users type any address cannot take over a local account. ``OIDC_ALLOWED_DOMAINS``
limits who may sign in. A deactivated account stays refused. The routes /oidc/authenticate/ and
/oidc/callback/ answer 404 while single sign-on is off.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from mozilla_django_oidc import views as oidc_views
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from labelstudio.core import orgs
from labelstudio.core.models import Organization

from . import services


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


class OrganizationOIDCBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims) -> bool:
        email = (claims.get("email") or "").strip().lower()
        if not email or not super().verify_claims(claims):
            return False
        if settings.OIDC_REQUIRE_VERIFIED_EMAIL and claims.get("email_verified") is not True:
            return False
        domains = settings.OIDC_ALLOWED_DOMAINS
        return not domains or email.rsplit("@", 1)[-1] in domains

    def create_user(self, claims):
        org_id = settings.OIDC_ORGANIZATION
        organization = Organization.objects.get(pk=org_id) if org_id else orgs.default_organization()
        email = claims["email"].strip()
        username = claims.get("preferred_username") or email
        if self.UserModel.objects.filter(username__iexact=username).exists():
            username = email
        return services.user_create(
            organization=organization,
            username=username,
            email=email,
            role=settings.OIDC_DEFAULT_ROLE,
            first_name=claims.get("given_name", "")[:150],
            last_name=claims.get("family_name", "")[:150],
        )

    def update_user(self, user, claims):
        return user


class _Guarded:
    def dispatch(self, request, *args, **kwargs):
        if not enabled():
            raise Http404("single sign-on is not configured")
        return super().dispatch(request, *args, **kwargs)


class AuthenticateView(_Guarded, oidc_views.OIDCAuthenticationRequestView):
    def __init__(self, *args, **kwargs):  # the parent reads the provider's settings here
        if enabled():
            super().__init__(*args, **kwargs)


class CallbackView(_Guarded, oidc_views.OIDCAuthenticationCallbackView):
    pass
