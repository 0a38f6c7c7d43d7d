"""Token authentication (Label Studio's ``Authorization: Token <key>``) in one hand-written
statement: DRF's version builds a select_related ORM query on every API request, which cost
more CPU than the labeling loop's own queries (docs/benchmarks.md). Same behaviour and
messages as ``rest_framework.authentication.TokenAuthentication``."""

from __future__ import annotations

from functools import cache

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from .rawsql import Shape, one


@cache
def _user_shape() -> Shape:
    return Shape(get_user_model(), "u")


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        shape = _user_shape()
        row = one(
            f"SELECT {shape.columns}, t.created FROM {shape.model._meta.db_table} u"  # noqa: S608
            f" JOIN {Token._meta.db_table} t ON t.user_id = u.id WHERE t.key = %s",
            [key],
        )
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user = shape.build(row)
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        token = Token(key=key, user=user, created=row[shape.width])
        token._state.adding, token._state.db = False, "default"
        return user, token
