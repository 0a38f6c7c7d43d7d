"""Single sign-on through OpenID Connect (mozilla-django-oidc) against a small provider served
on loopback: the authorization redirect, the code exchange, the signed ID token, userinfo; a
first sign-in makes an annotator of the configured organization; unverified e-mails and
deactivated accounts are refused; off (404) without configuration."""

from __future__ import annotations

import http.server
import json
import threading
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from labelstudio.core import orgs
from tests import factories

SECRET = "provider-shared-secret-for-hs256"


class Provider(http.server.BaseHTTPRequestHandler):
    claims: dict = {}
    nonce = ""

    def _json(self, body):
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):  # token endpoint
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        id_token = jwt.encode(
            {"sub": "u-1", "aud": "labelstudio", "nonce": type(self).nonce}, SECRET, algorithm="HS256"
        )
        self._json({"access_token": "access-1", "id_token": id_token, "token_type": "Bearer"})

    def do_GET(self):  # userinfo endpoint
        self._json(type(self).claims)

    def log_message(self, *args):
        pass


@pytest.fixture
def provider(settings, db):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Provider)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    settings.OIDC_RP_CLIENT_ID = "labelstudio"
    settings.OIDC_RP_CLIENT_SECRET = SECRET
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{base}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{base}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{base}/userinfo"
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "annotators.people.oidc.OrganizationOIDCBackend",
    ]
    yield Provider
    server.shutdown()


def _sign_in(client: Client, provider, claims: dict):
    r = client.get("/oidc/authenticate/?next=/projects/")
    assert r.status_code == 302 and r["Location"].startswith(provider_url := r["Location"].split("?")[0])
    query = parse_qs(urlparse(r["Location"]).query)
    assert provider_url.endswith("/authorize") and query["client_id"] == ["labelstudio"]
    provider.nonce = query["nonce"][0]
    provider.claims = claims
    return client.get(f"/oidc/callback/?code=code-1&state={query['state'][0]}")


def test_first_sign_in_makes_an_annotator_of_the_organization(provider, settings):
    org = factories.make_organization("SSO org")
    settings.OIDC_ORGANIZATION = org.pk
    client = Client()
    login_page = client.get("/user/login/").content.decode()
    assert 'id="sso-login"' in login_page
    claims = {"sub": "u-1", "email": "Sso.Person@Example.com", "email_verified": True, "given_name": "Sso"}
    r = _sign_in(client, provider, claims)
    assert r.status_code == 302 and r["Location"] == "/projects/"
    assert client.get("/projects/").status_code == 200
    user = get_user_model().objects.get(email="Sso.Person@Example.com")
    assert orgs.org_id_of(user) == org.pk and orgs.org_role(user) == "annotator" and not user.has_usable_password()
    # the second time, the same account
    r = _sign_in(Client(), provider, claims)
    assert r["Location"] == "/projects/" and get_user_model().objects.filter(email__iexact=claims["email"]).count() == 1


def test_unverified_email_cannot_take_over_an_account(provider):
    victim = factories.make_user("victim")
    client = Client()
    r = _sign_in(client, provider, {"sub": "evil", "email": victim.email, "email_verified": False})
    assert r.status_code == 302 and "sso=failed" in r["Location"]
    assert client.get("/projects/").status_code == 302  # not signed in


def test_allowed_domains_and_deactivated_accounts(provider, settings):
    settings.OIDC_ALLOWED_DOMAINS = ["example.org"]
    r = _sign_in(Client(), provider, {"sub": "x", "email": "x@elsewhere.com", "email_verified": True})
    assert "sso=failed" in r["Location"]
    user = factories.make_user("gone")
    user.email = "gone@example.org"
    user.is_active = False
    user.save()
    r = _sign_in(Client(), provider, {"sub": "g", "email": "gone@example.org", "email_verified": True})
    assert "sso=failed" in r["Location"]


def test_off_without_configuration(db, settings):
    settings.OIDC_RP_CLIENT_ID = ""
    assert Client().get("/oidc/authenticate/").status_code == 404
    assert Client().get("/oidc/callback/?code=x&state=y").status_code == 404
    assert 'id="sso-login"' not in Client().get("/user/login/").content.decode()
