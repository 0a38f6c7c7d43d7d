"""Export storages (Label Studio's /api/storages/export/{s3,localfiles}): every completion of the
project written as one JSON object named by its id, ``{"id", "result", ..., "task": {"id",
"data", ...}}`` (Label Studio's per-annotation storage format). A sync writes them all again
(objects are replaced, so it is idempotent)."""

from __future__ import annotations

import json
import os

from django.db import transaction
from django.utils import timezone

from labelstudio.core.exceptions import ApplicationError
from labelstudio.core.net import check_url

FIELDS = {
    "s3": ("title", "description", "bucket", "prefix", "aws_access_key_id", "aws_secret_access_key",
           "aws_session_token", "region_name", "s3_endpoint", "can_delete_objects"),
    "localfiles": ("title", "description", "path", "can_delete_objects"),
}  # fmt: skip


def _check(storage) -> None:
    if storage.storage_type == "localfiles":
        if not (storage.path or "").strip():
            raise ApplicationError("path is required", field="path")
        from tasks.exporters.schedules import local_target

        from .claims import check_directory_free

        try:
            target = local_target(storage.path)
        except ApplicationError as exc:
            raise ApplicationError(exc.message.replace("local_path", "path"), field="path") from exc
        check_directory_free(storage.project, target)
    else:
        if not (storage.bucket or "").strip():
            raise ApplicationError("bucket is required", field="bucket")
        if storage.s3_endpoint:
            check_url(storage.s3_endpoint)


def _apply(storage, fields: dict) -> None:
    allowed = FIELDS[storage.storage_type]
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ApplicationError(f"unknown storage fields: {', '.join(sorted(unknown))}", field=sorted(unknown)[0])
    for name, value in fields.items():
        setattr(storage, name, value)
    _check(storage)


@transaction.atomic
def export_storage_create(*, project, storage_type: str, **fields):
    from tasks.models import ExportStorage

    storage = ExportStorage(project=project, storage_type=storage_type)
    _apply(storage, fields)
    storage.full_clean()
    storage.save()
    return storage


@transaction.atomic
def export_storage_update(*, storage, **fields):
    _apply(storage, fields)
    storage.full_clean()
    storage.save()
    return storage


def export_storage_validate(*, storage) -> None:
    """Raise an ApplicationError when the target cannot be written with these settings."""
    _check(storage)
    if storage.storage_type == "localfiles":
        from tasks.exporters.schedules import local_target

        folder = local_target(storage.path)
        if folder.exists() and not os.access(folder, os.W_OK):
            raise ApplicationError(f"{folder} is not writable", field="path")
        return
    from . import s3

    try:
        s3.client(storage).head_bucket(Bucket=storage.bucket)
    except Exception as exc:  # noqa: BLE001 - boto raises many kinds; explain() words them
        raise s3.explain(storage, exc) from exc


def _payload(completion) -> dict:
    # listed layering exception, lazy so tasks loads on its own: export storages write completions
    from annotators.serializers import completion_json

    task = completion.task
    out = completion_json(completion)
    out["task"] = {"id": task.pk, "data": task.data, "meta": task.meta, "project": task.project_id}
    return out


def export_storage_sync(*, storage) -> int:
    """Write every completion of the project; returns how many."""
    # listed layering exception, lazy so tasks loads on its own: export storages write completions
    from annotators.models import Completion

    _check(storage)
    completions = Completion.objects.filter(project=storage.project).select_related("task").order_by("id")
    count = 0
    if storage.storage_type == "localfiles":
        from tasks.exporters.schedules import local_target

        folder = local_target(storage.path)
        folder.mkdir(parents=True, exist_ok=True)
        for completion in completions.iterator(chunk_size=500):
            partial = folder / f".{completion.pk}.partial"
            partial.write_text(json.dumps(_payload(completion), indent=2, default=str), encoding="utf-8")
            os.replace(partial, folder / str(completion.pk))
            count += 1
    else:
        from . import s3

        client = s3.client(storage)
        prefix = storage.prefix.strip("/")
        try:
            for completion in completions.iterator(chunk_size=500):
                key = f"{prefix}/{completion.pk}" if prefix else str(completion.pk)
                body = json.dumps(_payload(completion), default=str).encode()
                client.put_object(Bucket=storage.bucket, Key=key, Body=body, ContentType="application/json")
                count += 1
        except Exception as exc:  # noqa: BLE001
            raise s3.explain(storage, exc) from exc
    type(storage).objects.filter(pk=storage.pk).update(last_sync=timezone.now(), last_sync_count=count)
    storage.refresh_from_db()
    return count
