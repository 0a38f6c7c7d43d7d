"""The ``llm`` attribute of ``<Chat>``: the next assistant message comes from the project's ML
backend through the ML backend protocol's ``/predict`` call (no model provider is built in).

The backend receives the task (with the conversation so far in ``params.context``: ``{"chat":
<tag name>, "messages": [{role, content}]}``) and answers with a prediction whose result holds a
``chatmessage`` item for that tag — Label Studio's result shape — which is checked against the
config before it reaches the annotator.
"""

from __future__ import annotations

from django.conf import settings

from labelstudio.core.exceptions import ApplicationError
from projects.label_config import parse
from tasks.models import Task

from .models import MLBackend
from .predictions import predict_one

MAX_MESSAGES = 200
MAX_CONTENT = 100_000


def _checked_messages(messages) -> list[dict]:
    if not isinstance(messages, list) or len(messages) > MAX_MESSAGES:
        raise ApplicationError(f"messages: expected a list of at most {MAX_MESSAGES} messages", field="messages")
    out = []
    for i, m in enumerate(messages):
        ok = isinstance(m, dict) and isinstance(m.get("role"), str) and isinstance(m.get("content"), str)
        if not ok or len(m["content"]) > MAX_CONTENT:
            raise ApplicationError(f"messages[{i}]: expected {{role, content}} with text content", field="messages")
        out.append({"role": m["role"], "content": m["content"]})
    return out


def chat_reply(*, backend: MLBackend, task: Task, name: str, messages) -> dict:
    """``{"role", "content", "model_version"}`` of the backend's next message for ``<Chat name>``."""
    config = parse(task.project.label_config)
    chat = config.controls.get(name)
    if chat is None or chat.tag_name != "Chat":
        raise ApplicationError(f"chat: {name!r} names no <Chat> in the project's config", field="chat")
    if not chat.node.get("llm"):
        raise ApplicationError(f'<Chat name="{name}"> has no llm attribute', field="chat")
    context = {"chat": name, "llm": chat.node.get("llm"), "messages": _checked_messages(messages)}
    timeout = min(backend.timeout, float(getattr(settings, "ML_CHAT_TIMEOUT", 60.0)))
    outcome = predict_one(backend=backend, task=task, timeout=timeout, params={"context": context}, config=config)
    for prediction in outcome.predictions:
        for item in prediction["result"]:
            if item.get("type") == "chatmessage" and item.get("from_name") == name:
                message = item["value"]["chatmessage"]
                return {"role": message["role"], "content": message["content"], "model_version": outcome.model_version}
    problems = [e for r in outcome.rejected for e in r["errors"]][:5]
    raise ApplicationError(f"the ML backend sent no chatmessage for {name!r}", status_code=502, errors=problems)
