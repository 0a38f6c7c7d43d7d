"""Safe by default: login and reset throttling per account and per address, password validators,
password change / reset ending sessions and rotating the token, the command-line tools, and the
deployment settings (HTTPS, CSP, ALLOWED_HOSTS)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from labelstudio.core import orgs
from tests import factories
from tests.conftest import client_for


def _login(client, username, password, addr="10.0.0.1"):
    return client.post("/user/login/", {"username": username, "password": password}, REMOTE_ADDR=addr)


def test_login_failures_are_limited_per_account(db, settings):
    user = factories.make_user("victim")
    client = Client()
    for _ in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
        assert _login(client, user.username, "wrong-guess").status_code == 200
    # now even the right password is refused for this account, from any address
    r = _login(client, user.username, "pass12345", addr="10.9.9.9")
    assert r.status_code == 429 and "Too many attempts for this account" in r.content.decode()
    assert "_auth_user_id" not in client.session
    # the e-mail address is the same account
    assert _login(Client(), user.email.upper(), "pass12345", addr="10.9.9.8").status_code == 429
    # another account is not affected
    other = factories.make_user("bystander")
    assert _login(Client(), other.username, "pass12345").status_code == 302


def test_login_failures_are_limited_per_address(db, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 4
    client = Client()
    for i in range(4):
        assert _login(client, f"nobody{i}", "x", addr="10.0.0.7").status_code == 200
    user = factories.make_user("real")
    assert _login(client, user.username, "pass12345", addr="10.0.0.7").status_code == 429
    assert _login(Client(), user.username, "pass12345", addr="10.0.0.8").status_code == 302


def test_a_success_clears_the_accounts_counter(db, settings):
    user = factories.make_user("forgetful")
    client = Client()
    for _ in range(settings.LOGIN_FAILURES_PER_ACCOUNT - 1):
        _login(client, user.username, "nope")
    assert _login(client, user.username, "pass12345").status_code == 302
    for _ in range(settings.LOGIN_FAILURES_PER_ACCOUNT - 1):
        assert _login(Client(), user.username, "nope").status_code == 200


def test_login_with_email_address(db):
    user = factories.make_user("mailer")
    r = Client().post("/user/login/", {"email": user.email.upper(), "password": "pass12345"})
    assert r.status_code == 302


def test_password_reset_by_email_ends_sessions_and_rotates_token(db):
    user = factories.make_user("resetter")
    token = Token.objects.create(user=user).key
    old_session = Client()
    old_session.force_login(user)
    client = Client()
    assert client.post("/user/password-reset/", {"email": user.email}).status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+", mail.outbox[0].body).group(0)
    r = client.get(link, follow=True)
    assert r.status_code == 200 and "new_password1" in r.content.decode()
    form_url = r.redirect_chain[-1][0]
    r = client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert r.status_code == 200  # refused: too common / numeric
    r = client.post(form_url, {"new_password1": "Another-long-pass-77", "new_password2": "Another-long-pass-77"})
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Another-long-pass-77")
    assert old_session.get("/projects/").status_code == 302  # logged out
    assert Token.objects.get(user=user).key != token
    by_old_token = APIClient()
    by_old_token.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert by_old_token.get("/api/current-user").status_code == 401


def test_password_reset_requests_are_limited(db, settings):
    user = factories.make_user("spammed")
    client = Client()
    for _ in range(settings.PASSWORD_RESETS_PER_ACCOUNT):
        assert client.post("/user/password-reset/", {"email": user.email}, REMOTE_ADDR="10.1.1.1").status_code == 302
    r = client.post("/user/password-reset/", {"email": user.email}, REMOTE_ADDR="10.1.1.2")
    assert r.status_code == 429
    assert len(mail.outbox) == settings.PASSWORD_RESETS_PER_ACCOUNT
    settings.PASSWORD_RESETS_PER_ADDRESS = 2
    for i in range(2):
        client.post("/user/password-reset/", {"email": f"x{i}@example.com"}, REMOTE_ADDR="10.2.2.2")
    assert client.post("/user/password-reset/", {"email": "y@example.com"}, REMOTE_ADDR="10.2.2.2").status_code == 429


@pytest.mark.parametrize("weak", ["password", "12345678", "short"])
def test_weak_passwords_are_refused(db, weak):
    user = factories.make_user("picky")
    r = client_for(user).patch("/api/current-user", {"password": weak}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "password"
    user.refresh_from_db()
    assert user.check_password("pass12345")


def test_password_change_on_the_account_page(db):
    user = factories.make_user("changer")
    token = Token.objects.create(user=user).key
    other = Client()
    other.force_login(user)
    me = Client()
    me.force_login(user)
    r = me.post(
        "/user/account/",
        {
            "section": "password",
            "old_password": "wrong",
            "new_password1": "N3w-long-pass",
            "new_password2": "N3w-long-pass",
        },
        follow=True,
    )
    assert "not right" in r.content.decode()
    r = me.post(
        "/user/account/",
        {
            "section": "password",
            "old_password": "pass12345",
            "new_password1": "N3w-long-pass",
            "new_password2": "N3w-long-pass",
        },
    )
    assert r.status_code == 302
    assert me.get("/user/account/").status_code == 200  # this session stays
    assert other.get("/projects/").status_code == 302  # the other one ended
    assert Token.objects.get(user=user).key != token
    page = me.get("/user/account/").content.decode()
    assert Token.objects.get(user=user).key in page


def test_createuser_and_reset_password_commands(db):
    org = factories.make_organization("Cmd org")
    out = StringIO()
    call_command(
        "createuser", "cli", "--email", "cli@example.com", "--role", "manager", "--organization", str(org.pk),
        "--password", "Cli-long-pass-1", stdout=out,
    )  # fmt: skip
    user = get_user_model().objects.get(username="cli")
    assert (
        orgs.org_role(user) == "manager" and orgs.org_id_of(user) == org.pk and user.check_password("Cli-long-pass-1")
    )
    with pytest.raises(CommandError, match="common"):
        call_command("createuser", "weak", "--password", "password")
    token = Token.objects.create(user=user).key
    call_command("reset_password", "cli@example.com", "--password", "Cli-new-pass-2", stdout=out)
    user.refresh_from_db()
    assert user.check_password("Cli-new-pass-2") and Token.objects.get(user=user).key != token
    with pytest.raises(CommandError, match="no single user"):
        call_command("reset_password", "ghost", "--password", "Whatever-pass-3")


def test_pages_carry_a_content_security_policy(db):
    client = Client()
    client.force_login(factories.make_user("viewer"))
    policy = client.get("/projects/")["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "object-src 'none'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )


def _settings_in_subprocess(env: dict, expr: str) -> str:
    code = f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='labelstudio.settings'; django.setup(); from django.conf import settings as s; print({expr})"
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "HTTPS")}
    return subprocess.run(
        [sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_https_and_host_settings_come_from_the_environment(tmp_path):
    data = str(tmp_path)
    assert _settings_in_subprocess({"LABELSTUDIO_DATA_DIR": data}, "s.ALLOWED_HOSTS") == "['*']"
    deployed = {"LABELSTUDIO_DATA_DIR": data, "REDIS_URL": "redis://127.0.0.1:6379/6"}
    assert "*" not in _settings_in_subprocess(deployed, "s.ALLOWED_HOSTS")
    out = _settings_in_subprocess(
        {**deployed, "HTTPS": "1", "SECURE_PROXY_SSL_HEADER": "1", "HSTS_SECONDS": "31536000"},
        "(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER, s.SECURE_HSTS_SECONDS)",
    )
    assert out == "(True, True, ('HTTP_X_FORWARDED_PROTO', 'https'), 31536000)"
    assert _settings_in_subprocess(deployed, "s.SESSION_COOKIE_SECURE") == "False"


def test_links_in_emails_use_the_configured_host(db, settings, django_capture_on_commit_callbacks):
    settings.LABELSTUDIO_HOST = "https://label.example.com"
    user = factories.make_user("hosted")
    Client().post("/user/password-reset/", {"email": user.email})  # the request's host: testserver
    assert "https://label.example.com/user/reset/" in mail.outbox[0].body and "testserver" not in mail.outbox[0].body
    owner = factories.make_user("hostowner", org_role="owner")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(owner).post("/api/invite/send-email", {"emails": ["z@example.com"]}, format="json")
    assert "https://label.example.com/user/signup/?token=" in mail.outbox[1].body
