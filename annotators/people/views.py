"""People pages: log in (throttled; username or e-mail), sign up through an invitation,
self-service password reset (Django's views, throttled), the account page and the people page
for owners and administrators. Views parse the form and call services."""

from __future__ import annotations

from urllib.parse import urlparse

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse_lazy

from labelstudio.core import orgs
from labelstudio.core.exceptions import ApplicationError

from . import oidc, selectors, services, throttle


class LoginView(auth_views.LoginView):
    """Django's login with attempt limits per account and per address. Accepts ``email`` in
    place of ``username`` (Label Studio's form and its legacy client post ``email``)."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "sso": oidc.enabled(), "sso_label": settings.OIDC_LOGIN_LABEL}

    def post(self, request, *args, **kwargs):
        if "username" not in request.POST and "email" in request.POST:
            request.POST = request.POST.copy()
            request.POST["username"] = request.POST["email"]
        account, address = throttle.account_key(request.POST.get("username", "")), throttle.client_address(request)
        try:
            throttle.check("login", account, address)
        except throttle.Limited as exc:
            form = self.get_form()
            form.errors.clear()
            return self.render_to_response(self.get_context_data(form=form, limited=str(exc)), status=429)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            throttle.clear_account("login", account)
        else:
            throttle.record("login", account, address)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset-by-e-mail, limited per address and per e-mail; the answer is the same
    whether or not the address has an account."""

    success_url = reverse_lazy("password-reset-done")
    email_template_name = "registration/password_reset_email.txt"

    def form_valid(self, form):
        """Links point at ``LABELSTUDIO_HOST`` when it is set, not at the request's Host header."""
        if not settings.LABELSTUDIO_HOST:
            return super().form_valid(form)
        site = urlparse(settings.LABELSTUDIO_HOST)
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            html_email_template_name=self.html_email_template_name,
            extra_email_context=self.extra_email_context,
        )
        return redirect(self.get_success_url())

    def post(self, request, *args, **kwargs):
        account, address = throttle.account_key(request.POST.get("email", "")), throttle.client_address(request)
        try:
            throttle.check("reset", account, address)
        except throttle.Limited as exc:
            return self.render_to_response(self.get_context_data(form=self.get_form(), limited=str(exc)), status=429)
        throttle.record("reset", account, address)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting the new password goes through our service: validators, sessions end, token rotates."""

    success_url = reverse_lazy("password-reset-complete")

    def form_valid(self, form):
        services.password_change(user=form.user, new_password=form.cleaned_data["new_password1"])
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return redirect(self.success_url)


def signup(request):
    token = request.GET.get("token") or request.POST.get("token", "")
    try:
        invite = services.invite_find(token)
    except ApplicationError as exc:
        return render(request, "people/signup.html", {"invalid": exc.message}, status=404)
    form = {"username": "", "email": invite.email, "first_name": "", "last_name": "", "error": None}
    if request.method == "POST":
        form.update({k: request.POST.get(k, "").strip() for k in ("username", "email", "first_name", "last_name")})
        try:
            throttle.check("reset", "", throttle.client_address(request))
            throttle.record("reset", "", throttle.client_address(request))
            user = services.signup(token=token, password=request.POST.get("password", ""), **form_fields(form))
        except throttle.Limited as exc:
            form["error"] = str(exc)
        except ApplicationError as exc:
            form["error"] = exc.message
        else:
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(request, f"Welcome to {invite.organization.title}.")
            return redirect("project-list-page")
    return render(request, "people/signup.html", {"invite": invite, "form": form, "token": token})


def form_fields(form: dict) -> dict:
    return {k: form[k] for k in ("username", "email", "first_name", "last_name")}


@login_required
def account(request):
    user = request.user
    token = services.token_get(user=user)
    if request.method == "POST":
        section = request.POST.get("section")
        try:
            if section == "profile":
                fields = {k: request.POST.get(k, "").strip() for k in ("first_name", "last_name", "email", "phone")}
                services.user_update(user=user, **fields)
            elif section == "password":
                if not user.check_password(request.POST.get("old_password", "")):
                    raise ApplicationError("your current password is not right", field="old_password")
                if request.POST.get("new_password1") != request.POST.get("new_password2"):
                    raise ApplicationError("the two new passwords differ", field="new_password2")
                services.password_change(user=user, new_password=request.POST.get("new_password1", ""))
                update_session_auth_hash(request, user)  # this session stays; every other one ends
            elif section == "token":
                services.token_reset(user=user)
            elif section == "hotkeys":
                pairs = [line.split("=", 1) for line in request.POST.get("hotkeys", "").splitlines() if "=" in line]
                services.user_update(user=user, custom_hotkeys={k.strip(): v.strip() for k, v in pairs if k.strip()})
            else:
                raise ApplicationError("unknown section")
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Saved.")
            return redirect(f"{request.path}#{section}")
    member = orgs.member_of(user)
    hotkeys = "\n".join(f"{k}={v}" for k, v in (member.custom_hotkeys or {}).items() if isinstance(v, str))
    return render(request, "people/account.html", {"member": member, "token": token, "hotkeys": hotkeys})


@login_required
def people(request):
    if not orgs.can_manage_people(request.user):
        raise PermissionDenied("Only owners and administrators of the organization manage people.")
    actor = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        target = selectors.users_visible_to(actor).filter(pk=request.POST.get("user") or 0).first()
        try:
            if action == "invite-link":
                days = request.POST.get("expires_in_days") or None
                services.invite_link_create(
                    actor=actor, role=request.POST.get("role", "annotator"), expires_in_days=int(days) if days else None
                )
            elif action == "invite-revoke":
                services.invite_link_revoke(organization=orgs.member_of(actor).organization)
            elif action == "invite-email-revoke":
                services.invite_email_revoke(
                    organization=orgs.member_of(actor).organization, email=request.POST.get("email", "")
                )
            elif action == "invite-email":
                services.invite_send(
                    actor=actor,
                    emails=request.POST.get("emails", "").replace(",", "\n").split(),
                    role=request.POST.get("role", "annotator"),
                    base_url=services.site_url(request),
                )
            elif target is None:
                raise ApplicationError("no such person in your organization")
            elif action == "role":
                services.member_role_set(user=target, role=request.POST.get("role", ""), actor=actor)
            elif action in ("deactivate", "activate"):
                services.user_set_active(user=target, active=action == "activate", actor=actor)
            elif action == "reset-password":
                services.password_set_by_admin(actor=actor, user=target, new_password=request.POST.get("password", ""))
            else:
                raise ApplicationError("unknown action")
        except (ApplicationError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
        else:
            messages.success(request, "Done.")
            return redirect(request.get_full_path())
    org = orgs.member_of(actor).organization
    search = request.GET.get("q", "").strip()
    users = selectors.users_visible_to(actor, search=search)[:500]
    invite = services.invite_link(organization=org)
    invite_url = services.invite_url(invite, services.site_url(request)) if invite else ""
    grantable = [r for r in orgs.RANK if orgs.role_at_most(actor, r)]
    context = {"org": org, "users": users, "q": search, "invite": invite, "invite_url": invite_url, "roles": grantable}
    context["pending"] = selectors.pending_email_invites(org)
    return render(request, "people/people.html", context)


urlpatterns = [
    path("oidc/authenticate/", oidc.AuthenticateView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", oidc.CallbackView.as_view(), name="oidc_authentication_callback"),
    path("user/login/", LoginView.as_view(), name="login"),
    path("user/login", LoginView.as_view()),  # Label Studio's legacy client posts here
    path("user/signup/", signup, name="signup"),
    path("user/account/", account, name="account-page"),
    path("people/", people, name="people-page"),
    path("user/password-reset/", PasswordResetView.as_view(), name="password-reset"),
    path(
        "user/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path("user/reset/<uidb64>/<token>/", PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path(
        "user/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
]
