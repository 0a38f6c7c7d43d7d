"""``completed_by`` of imported annotations: a user id, an email, or Label Studio's
``{"id": .., "email": ..}``; a user that does not exist here falls back to the importing user."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model


class UserResolver:
    def __init__(self, default_id: int | None, before_query: Callable[[], None] | None = None):
        self.default_id = default_id
        self.before_query = before_query or (lambda: None)
        self.cache: dict[int | str, int | None] = {}

    def resolve(self, value: object) -> int | None:
        if value is None:
            return self.default_id
        if isinstance(value, dict):  # the email travels between instances better than the id
            email = value.get("email")
            if isinstance(email, str) and email.strip():
                user_id = self.resolve(email.strip())
                if user_id != self.default_id or value.get("id") is None:
                    return user_id
            return self.resolve(value.get("id"))
        if isinstance(value, str) and value.strip().isdecimal():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int | str):
            return self.default_id
        if value not in self.cache:
            self.cache[value] = self._lookup(value)
        return self.cache[value]

    def _lookup(self, value: int | str) -> int | None:
        self.before_query()
        users = get_user_model().objects
        if isinstance(value, int):
            found: int | None = users.filter(pk=value).values_list("pk", flat=True).first()
        else:
            found = users.filter(email__iexact=value.strip()).order_by("pk").values_list("pk", flat=True).first()
        return found if found is not None else self.default_id
