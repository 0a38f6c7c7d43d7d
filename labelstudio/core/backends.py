"""Log in with a username or an e-mail address (case-insensitive for the e-mail); Django's
ModelBackend otherwise (inactive users are refused)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UsernameOrEmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and "@" in username:
            User = get_user_model()
            if not User.objects.filter(username=username).exists():
                match = User.objects.filter(email__iexact=username).order_by("id").first()
                if match is None:
                    User().set_password(password)  # same time as a real check
                    return None
                username = match.username
        return super().authenticate(request, username=username, password=password, **kwargs)
