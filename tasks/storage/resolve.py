"""``s3://bucket/key`` in task data -> a URL the browser can load: our resolve endpoint, which
checks membership and then redirects to a presigned URL or proxies the object.

The labeling page and the task API call ``resolve_task_data`` before sending data out.
"""

from __future__ import annotations

from urllib.parse import quote


def storage_for(storages, uri: str):
    """The storage (of the given ones) that holds ``s3://bucket/key``, and the key."""
    if not isinstance(uri, str) or not uri.startswith("s3://"):
        return None, None
    bucket, _, key = uri[5:].partition("/")
    for storage in storages:
        if storage.bucket == bucket and key.startswith(storage.prefix or ""):
            return storage, key
    return None, None


def resolve_url(storage, key: str) -> str:
    return f"/api/storages/s3/{storage.pk}/resolve?key={quote(key, safe='')}"


def resolve_task_data(project_id: int, data, storages_cache: dict | None = None):
    """A copy of ``data`` with top-level ``s3://`` values of the project's storages made loadable.

    Touches the database only for data that holds ``s3://`` values; pass one ``storages_cache``
    dict for a whole page of tasks so their project's storages are read once."""
    if not isinstance(data, dict) or not any(isinstance(v, str) and v.startswith("s3://") for v in data.values()):
        return data
    from tasks.models import S3ImportStorage

    cache = storages_cache if storages_cache is not None else {}
    if project_id not in cache:
        cache[project_id] = list(S3ImportStorage.objects.filter(project_id=project_id))
    storages = cache[project_id]
    out = dict(data)
    for name, value in data.items():
        storage, key = storage_for(storages, value)
        if storage is not None:
            out[name] = resolve_url(storage, key)
    return out
