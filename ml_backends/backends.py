"""From an ``MLBackend`` row to protocol calls: the client, the project reference, /setup."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from .client import MLClient, MLResult
from .models import MLBackend
from .validation import version_str


def client_for(backend: MLBackend, **overrides) -> MLClient:
    """A client with the backend's URL, Basic auth, extra headers and predict timeout."""
    auth = None
    if backend.auth_method == MLBackend.AuthMethod.BASIC:
        auth = (backend.basic_auth_user, backend.basic_auth_pass)
    options = {"auth": auth, "headers": backend.extra_headers or {}, "timeout": backend.timeout}
    options.update(overrides)
    return MLClient(backend.url, **options)


def project_ref(project) -> str:
    """How Label Studio names a project to a backend: ``{id}.{created timestamp}``."""
    return f"{project.pk}.{int(project.created_at.timestamp())}"


def backend_setup(backend: MLBackend, client: MLClient | None = None) -> MLResult:
    """Health check then /setup; stores state, error and the model version the backend reports.

    Short timeouts: this runs when a manager registers or checks a backend, and at job start.
    """
    own = client is None
    client = client or client_for(backend)
    try:
        result = client.health()
        if result.ok:
            result = client.setup(
                project=project_ref(backend.project),
                schema=backend.project.label_config,
                hostname=getattr(settings, "LABELSTUDIO_HOST", ""),
                access_token="",
                extra_params=backend.extra_params,
            )
    finally:
        if own:
            client.close()
    fields = {"last_checked_at": timezone.now()}
    if result.ok:
        version = version_str((result.data or {}).get("model_version")) if isinstance(result.data, dict) else ""
        fields.update(state=MLBackend.State.CONNECTED, error_message="")
        if version:
            fields["model_version"] = version
    else:
        fields.update(state=MLBackend.State.ERROR, error_message=result.error[:2000])
    MLBackend.objects.filter(pk=backend.pk).update(**fields)
    for name, value in fields.items():
        setattr(backend, name, value)
    return result


def backend_set_state(backend: MLBackend, state: str, error: str = "") -> None:
    MLBackend.objects.filter(pk=backend.pk).update(state=state, error_message=error[:2000])
    backend.state, backend.error_message = state, error


def backend_reported_versions(backend: MLBackend, timeout: float = 2.0) -> list[str]:
    """Versions the backend itself lists (POST /versions); [] when it has none or is down."""
    client = client_for(backend, retries=0)
    try:
        result = client.versions(project=project_ref(backend.project), timeout=timeout)
    finally:
        client.close()
    versions = result.data.get("versions") if result.ok and isinstance(result.data, dict) else None
    return [version_str(v) for v in versions] if isinstance(versions, list) else []
