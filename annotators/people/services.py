"""Writes about people: accounts, organization roles, invitations, passwords and API tokens.

Security rules kept here, so the API, pages and commands all follow them:
- a role handed out (invite, role change, new user) is never above the acting user's;
- a new or changed password goes through AUTH_PASSWORD_VALIDATORS;
- a password change or reset ends every session (Django's session hash) and rotates the API
  token; deactivation ends sessions and the token stops working (our TokenAuthentication
  refuses inactive users); completions keep their author.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from labelstudio.core import orgs
from labelstudio.core.exceptions import ApplicationError
from labelstudio.core.models import Organization, OrganizationMember

from .models import Invite


def _member(user: User) -> OrganizationMember:
    """The user's organization membership (every account has one: ``orgs.member_of`` makes it)."""
    member = orgs.member_of(user)
    if member is None:
        raise ApplicationError("this account belongs to no organization")
    return member


def _check_role(actor: User | None, role: str) -> None:
    if role not in orgs.RANK:
        raise ApplicationError(f"role must be one of {', '.join(orgs.RANK)}", field="role")
    if actor is not None and not orgs.role_at_most(actor, role):
        raise ApplicationError(f"you cannot give the role '{role}', which is above your own", field="role")


def _validate_password(password: str, user: User | None = None) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), field="password") from exc


@transaction.atomic
def user_create(
    *,
    organization: Organization,
    username: str,
    email: str = "",
    password: str | None = None,
    role: str = orgs.ANNOTATOR,
    actor: User | None = None,
    **fields: Any,
) -> User:
    """A user in ``organization``. Without a password the account cannot log in until it is set
    (by a reset e-mail, an administrator or ``manage.py reset_password``)."""
    _check_role(actor, role)
    username = (username or email or "").strip()
    if not username:
        raise ApplicationError("a username or e-mail is required", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(f"user '{username}' already exists", field="username")
    if email and User.objects.filter(email__iexact=email).exists():
        raise ApplicationError(f"a user with e-mail '{email}' already exists", field="email")
    user = User(username=username, email=email, **fields)
    if password:
        _validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    OrganizationMember.objects.create(organization=organization, user=user, role=role)
    return user


PROFILE_FIELDS = ("phone", "custom_hotkeys")


@transaction.atomic
def user_update(*, user: User, password: str | None = None, **fields: Any) -> User:
    """Name, e-mail, username, phone, hotkeys; a password through ``password_change``."""
    member = _member(user)
    for name in PROFILE_FIELDS:
        if name in fields:
            setattr(member, name, fields.pop(name))
    member.save()
    if "email" in fields and fields["email"]:
        if User.objects.filter(email__iexact=fields["email"]).exclude(pk=user.pk).exists():
            raise ApplicationError(f"a user with e-mail '{fields['email']}' already exists", field="email")
    if "username" in fields:
        if (
            not fields["username"]
            or User.objects.filter(username__iexact=fields["username"]).exclude(pk=user.pk).exists()
        ):
            raise ApplicationError(f"username '{fields['username']}' is taken or empty", field="username")
    for name, value in fields.items():
        setattr(user, name, value)
    user.save()
    if password:
        password_change(user=user, new_password=password)
    return user


def _end_sessions(user: User) -> None:
    """Delete the user's sessions (database sessions; Django's session hash check also
    refuses any other session once the password changes)."""
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()


@transaction.atomic
def token_reset(*, user: User) -> Token:
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def token_get(*, user: User) -> Token:
    return Token.objects.get_or_create(user=user)[0]


@transaction.atomic
def password_change(*, user: User, new_password: str) -> None:
    """Set a password (validated), end every session and rotate the API token."""
    _validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    _end_sessions(user)
    if Token.objects.filter(user=user).exists():
        token_reset(user=user)


def check_may_manage(actor: User, user: User) -> None:
    """An owner/administrator may change another person of their organization whose role is not
    above their own (an administrator cannot take over an owner's account)."""
    if actor.is_superuser or actor.pk == user.pk:
        return
    if not orgs.is_org_admin(actor) or not orgs.same_org(actor, user):
        raise ApplicationError("only owners and administrators of the organization manage people")
    if user.is_superuser or not orgs.role_at_most(actor, orgs.org_role(user)):
        raise ApplicationError("you cannot change someone whose role is above yours")


def password_set_by_admin(*, actor: User, user: User, new_password: str) -> None:
    check_may_manage(actor, user)
    password_change(user=user, new_password=new_password)


@transaction.atomic
def user_set_active(*, user: User, active: bool, actor: User | None = None) -> None:
    """Deactivate (or reactivate) a user: they can no longer log in, their sessions end and
    their token stops working; their completions stay with them as author."""
    if actor is not None and actor.pk == user.pk and not active:
        raise ApplicationError("you cannot deactivate yourself")
    if actor is not None:
        check_may_manage(actor, user)
    member = orgs.member_of(user)
    if not active and member is not None and member.role == orgs.OWNER:
        owners = OrganizationMember.objects.filter(organization_id=member.organization_id, role=orgs.OWNER)
        if not owners.exclude(user=user).filter(user__is_active=True).exists():
            raise ApplicationError("an organization needs an active owner")
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        _end_sessions(user)


@transaction.atomic
def member_role_set(*, user: User, role: str, actor: User) -> OrganizationMember:
    _check_role(actor, role)
    member = _member(user)
    if actor.pk == user.pk and not actor.is_superuser:
        raise ApplicationError("you cannot change your own role", field="role")
    if not orgs.role_at_most(actor, member.role):
        raise ApplicationError("you cannot change the role of someone above you", field="role")
    if member.role == orgs.OWNER and role != orgs.OWNER:
        others = OrganizationMember.objects.filter(organization_id=member.organization_id, role=orgs.OWNER)
        if not others.exclude(pk=member.pk).exists():
            raise ApplicationError("an organization needs an owner", field="role")
    member.role = role
    member.save(update_fields=["role"])
    return member


# --- invitations ---------------------------------------------------------------------------


def _expiry(days: int | None) -> datetime | None:
    if days is None:
        return None
    if not 0 < days <= settings.INVITE_MAX_DAYS:
        raise ApplicationError(f"expiry must be between 1 and {settings.INVITE_MAX_DAYS} days", field="expires_in_days")
    return timezone.now() + timedelta(days=days)


def invite_link(*, organization: Organization) -> Invite | None:
    """The organization's current invite link (None: revoked / never made)."""
    now = timezone.now()
    for invite in Invite.objects.filter(organization=organization, email="", revoked_at=None):
        if invite.usable(now):
            return invite
    return None


@transaction.atomic
def invite_link_create(*, actor: User, role: str = orgs.ANNOTATOR, expires_in_days: int | None = None) -> Invite:
    """A new organization-wide link; the previous one stops working."""
    _check_role(actor, role)
    organization = _member(actor).organization
    expires_at = _expiry(expires_in_days)
    invite_link_revoke(organization=organization)
    return Invite.objects.create(organization=organization, role=role, created_by=actor, expires_at=expires_at)


def invite_link_revoke(*, organization: Organization) -> int:
    return Invite.objects.filter(organization=organization, email="", revoked_at=None).update(revoked_at=timezone.now())


def site_url(request: HttpRequest) -> str:
    """The base of links in e-mails and invitations: ``LABELSTUDIO_HOST`` when set (so a forged
    Host header cannot point them elsewhere), else the request's own."""
    return (settings.LABELSTUDIO_HOST or request.build_absolute_uri("/")).rstrip("/")


def invite_email_revoke(*, organization: Organization, email: str) -> int:
    return Invite.objects.filter(organization=organization, email__iexact=email.strip(), revoked_at=None).update(
        revoked_at=timezone.now()
    )


def invite_url(invite: Invite, base_url: str = "") -> str:
    return f"{base_url}/user/signup/?token={invite.token}"


@transaction.atomic
def invite_send(
    *,
    actor: User,
    emails: list[str],
    role: str = orgs.ANNOTATOR,
    base_url: str = "",
    expires_in_days: int | None = None,
) -> list[Invite]:
    """One single-use invitation per address, sent through Django's e-mail backend."""
    _check_role(actor, role)
    organization = _member(actor).organization
    emails = [e.strip() for e in emails if e and e.strip()]
    if not emails:
        raise ApplicationError("give at least one e-mail address", field="emails")
    expires_at = _expiry(expires_in_days or settings.INVITE_EMAIL_DAYS)
    invites: list[Invite] = []
    for email in emails:
        if "@" not in email:
            raise ApplicationError(f"'{email}' is not an e-mail address", field="emails")
        invite = Invite.objects.create(
            organization=organization, role=role, email=email, created_by=actor, expires_at=expires_at
        )
        invites.append(invite)
        transaction.on_commit(_mailer(invite, base_url))
    return invites


def _mailer(invite: Invite, base_url: str) -> Callable[[], None]:
    return lambda: _mail_invite(invite, base_url)


def _mail_invite(invite: Invite, base_url: str) -> None:
    send_mail(
        subject=f"You are invited to {invite.organization.title}",
        message=(
            f"{invite.created_by or 'Someone'} invites you to join {invite.organization.title} as {invite.role}.\n\n"
            f"Sign up here: {invite_url(invite, base_url)}\n"
        ),
        from_email=None,
        recipient_list=[invite.email],
    )


def invite_find(token: str) -> Invite:
    invite = Invite.objects.select_related("organization", "created_by").filter(token=token or "").first()
    if invite is None or not invite.usable():
        raise ApplicationError("this invitation is not valid any more; ask for a new one", field="token")
    return invite


@transaction.atomic
def signup(*, token: str, username: str, email: str, password: str, first_name: str = "", last_name: str = "") -> User:
    """Create an account through an invitation: the organization and role come from the invite,
    never from the form; the role is capped by the creator's current role."""
    invite = invite_find(token)
    if not password:
        raise ApplicationError("a password is required", field="password")
    role = invite.role
    if invite.created_by is not None and not orgs.role_at_most(invite.created_by, role):
        role = orgs.ANNOTATOR
    if invite.email and invite.email.lower() != (email or "").strip().lower():
        raise ApplicationError("this invitation is for another e-mail address", field="email")
    user = user_create(
        organization=invite.organization,
        username=username,
        email=email,
        password=password,
        role=role,
        first_name=first_name,
        last_name=last_name,
    )
    if invite.email:
        invite.used_at = timezone.now()
        invite.save(update_fields=["used_at"])
    return user
