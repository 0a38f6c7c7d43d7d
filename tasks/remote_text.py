"""The text behind a task's URL, for ``<Text valueType="url">`` / ``<HyperText valueType="url">``:
fetched by the server so the browser needs no CORS from the text's host. Only a data key that such
a tag of the project's config reads, only http(s), every redirect hop through the private-address
check (labelstudio.core.net), at most ``MAX_BYTES``."""

from __future__ import annotations

from urllib.parse import urljoin

import requests

from labelstudio.core.exceptions import ApplicationError
from labelstudio.core.net import UnsafeURLError, check_url
from projects.label_config import parse
from projects.label_config.errors import LabelConfigError

from .models import Task

MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
TIMEOUT = (5, 20)
URL_TAGS = ("Text", "HyperText")


class RemoteTextError(ApplicationError):
    pass


def _url_keys(label_config: str) -> set[str]:
    try:
        config = parse(label_config)
    except LabelConfigError:
        return set()
    return {
        obj.value_key
        for obj in config.objects.values()
        if obj.tag_name in URL_TAGS and obj.value_key and obj.value_is_url()
    }


def task_remote_text(task: Task, key: str) -> str:
    """The text at ``task.data[key]``; RemoteTextError (naming the field) when it may not or cannot be read."""
    if key not in _url_keys(task.project.label_config):
        raise RemoteTextError(f"no <Text>/<HyperText valueType=\"url\"> of this project reads '{key}'", field="key")
    url = task.data.get(key) if isinstance(task.data, dict) else None
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise RemoteTextError(f"task data '{key}' is not an http(s) URL", field="key")
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        try:
            check_url(current)
            response = requests.get(
                current, stream=True, timeout=TIMEOUT, allow_redirects=False, headers={"User-Agent": "labelstudio"}
            )
        except UnsafeURLError as exc:
            raise RemoteTextError(exc.message, field="key") from exc
        except requests.RequestException as exc:
            raise RemoteTextError(f"cannot fetch the URL of '{key}': {exc}", field="key", status_code=502) from exc
        with response:
            if response.is_redirect:
                current = urljoin(current, response.headers["Location"])
                continue
            if response.status_code != 200:
                raise RemoteTextError(
                    f"fetching the URL of '{key}' returned HTTP {response.status_code}", field="key", status_code=502
                )
            return _read(response, key)
    raise RemoteTextError(f"the URL of '{key}' redirects more than {MAX_REDIRECTS} times", field="key")


def _read(response, key: str) -> str:
    body = bytearray()
    for chunk in response.iter_content(256 * 1024):
        body += chunk
        if len(body) > MAX_BYTES:
            raise RemoteTextError(
                f"the text at the URL of '{key}' is more than {MAX_BYTES // 1024 // 1024} MB", field="key"
            )
    return bytes(body).decode(response.encoding or "utf-8", errors="replace")
