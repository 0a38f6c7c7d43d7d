"""``Chat``: a conversation ``[{role, content}]`` from task data, shown as messages, that annotators
extend with their own messages. It is an object (other controls point at it, ``perRegion`` ones at
a selected message) and a control of itself: added messages are its results, in Label Studio's
shape ``{type: "chatmessage", from_name, to_name: <same name>, value: {chatmessage: {role,
content, createdAt}}}``. ``llm`` asks the project's ML backend for the next assistant message.
"""

from __future__ import annotations

import re

from .. import values as v
from ..errors import LabelConfigError
from .base import DATA_KEY_RE, POS_INT, STR, Attr, register
from .controls import ControlTag
from .objects import ObjectTag

ROLE_RE = re.compile(r"^[A-Za-z_][\w-]*$")


class MaxMessages(Attr):
    description = "an integer >= 1 or a $key of the task data"

    def check(self, raw: str) -> str | None:
        raw = raw.strip()
        if DATA_KEY_RE.fullmatch(raw) or (raw.isdigit() and int(raw) >= 1):
            return None
        return f"expected {self.description}, got {raw!r}"


class Roles(Attr):
    description = "a comma-separated list of roles (user,assistant,...)"

    def check(self, raw: str) -> str | None:
        roles = [r.strip() for r in raw.split(",")]
        bad = [r for r in roles if not ROLE_RE.match(r)]
        return f"expected {self.description}, got {raw!r}" if bad else None


class Editable(Attr):
    description = '"true", "false" or a comma-separated list of roles'

    def check(self, raw: str) -> str | None:
        if raw.strip().lower() in ("true", "false"):
            return None
        return Roles().check(raw) and f"expected {self.description}, got {raw!r}"


@register
class Chat(ObjectTag, ControlTag):
    tag_name = "Chat"
    kind = "object"
    data_kind = "chat"
    span_kind = "message"
    required = ("name", "value")
    object_types = ("Chat",)
    attributes = {
        "toName": STR,
        "llm": STR,
        "minMessages": POS_INT,
        "maxMessages": MaxMessages(),
        "messageroles": Roles(),
        "editable": Editable(),
    }

    @property
    def result_type(self) -> str:
        return "chatmessage"

    @property
    def to_names(self) -> list[str]:
        return [self.name] if self.name else []

    def check(self) -> list[LabelConfigError]:
        errors = super().check()
        raw = (self.node.get("toName") or "").strip()
        if raw and raw != self.name:
            errors.append(self.error(f"toName of a <Chat> must be its own name {self.name!r}, got {raw!r}", "toName"))
        value = (self.node.get("value") or "").strip()
        if value and not DATA_KEY_RE.fullmatch(value):
            errors.append(self.error(f'value must be "$key" (a list of messages in the task data), got {value!r}'))
        low, high = self.number("minMessages"), self.node.get("maxMessages")
        if low and high and high.strip().isdigit() and int(high) < low:
            errors.append(self.error(f"maxMessages ({high}) is below minMessages ({low})", "maxMessages"))
        return errors

    @property
    def roles(self) -> list[str]:
        raw = self.node.get("messageroles") or "user,assistant"
        return [r.strip() for r in raw.split(",") if r.strip()]

    def check_value(
        self, value: v.Json, result_type: str, target: ObjectTag | None, text: str | None = None
    ) -> v.Problems:
        message = value.get("chatmessage")
        if not isinstance(message, dict):
            return [("value.chatmessage", f"expected an object {{role, content}}, got {v.show(message)}")]
        problems: v.Problems = []
        role = message.get("role")
        if role not in self.roles:
            problems.append(("value.chatmessage.role", f"expected one of {v.show(self.roles)}, got {v.show(role)}"))
        if not isinstance(message.get("content"), str):
            problems.append(("value.chatmessage.content", f"expected text, got {v.show(message.get('content'))}"))
        if "createdAt" in message and not v.is_number(message["createdAt"]):
            problems.append(("value.chatmessage.createdAt", f"expected a number, got {v.show(message['createdAt'])}"))
        return problems


def check_messages(got: object) -> str | None:
    """Task data for a Chat: a list of ``{role, content}`` objects (content text); None when fine."""
    if not isinstance(got, list):
        return f"expected a list of messages {{role, content}}, got {v.show(got)}"
    for i, message in enumerate(got):
        if not isinstance(message, dict) or not isinstance(message.get("role"), str):
            return f"message {i}: expected an object with a role, got {v.show(message)}"
        if not isinstance(message.get("content"), str):
            return f"message {i}: expected text content, got {v.show(message.get('content'))}"
    return None
