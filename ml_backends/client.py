"""HTTP client for the Label Studio ML backend protocol. No ORM: callers pass plain values.

The transport (retries, streaming size limit, URL check, never raising) is
``labelstudio/core/http.py``'s ``JSONClient``; this module adds the protocol's calls.
"""

from __future__ import annotations

from labelstudio.core.http import EVENT_TIMEOUT, SHORT_TIMEOUT, JSONClient
from labelstudio.core.http import HTTPResult as MLResult  # the result of a protocol call

__all__ = ["MLClient", "MLResult"]


class MLClient(JSONClient):
    """One backend: base URL, optional Basic auth and extra headers, default timeout and retries."""

    # --- protocol ---------------------------------------------------------------------------
    def health(self, *, timeout: float = SHORT_TIMEOUT) -> MLResult:
        return self.call("GET", "/health", timeout=timeout, retries=0)

    def setup(
        self,
        *,
        project: str,
        schema: str,
        hostname: str = "",
        access_token: str = "",
        extra_params: dict | None = None,
        model_version: str | None = None,
        timeout: float = SHORT_TIMEOUT,
    ) -> MLResult:
        payload = {
            "project": project,
            "schema": schema,
            "hostname": hostname,
            "access_token": access_token,
            "extra_params": extra_params or {},
        }
        if model_version:
            payload["model_version"] = model_version
        return self.call("POST", "/setup", payload, timeout=timeout, retries=0)

    def predict(
        self,
        *,
        tasks: list[dict],
        project: str,
        label_config: str,
        params: dict | None = None,
        model_version: str | None = None,
        timeout: float | None = None,
        retries: int | None = None,
    ) -> MLResult:
        payload = {"tasks": tasks, "project": project, "label_config": label_config, "params": params or {}}
        if model_version:
            payload["model_version"] = model_version
        return self.call("POST", "/predict", payload, timeout=timeout, retries=retries)

    def webhook(self, payload: dict, *, timeout: float = EVENT_TIMEOUT, retries: int = 0) -> MLResult:
        """An event (``payload["action"]``): ANNOTATION_CREATED/UPDATED/DELETED or START_TRAINING."""
        return self.call("POST", "/webhook", payload, timeout=timeout, retries=retries)

    def train(
        self,
        *,
        annotations: list[dict],
        project: str,
        label_config: str,
        params: dict | None = None,
        timeout: float = EVENT_TIMEOUT,
    ) -> MLResult:
        """The pre-1.4 training call, used when a backend has no /webhook."""
        payload = {"annotations": annotations, "project": project, "label_config": label_config, "params": params or {}}
        return self.call("POST", "/train", payload, timeout=timeout, retries=0)

    def versions(self, *, project: str, timeout: float = SHORT_TIMEOUT) -> MLResult:
        return self.call("POST", "/versions", {"project": project}, timeout=timeout, retries=0)
