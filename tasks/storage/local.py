"""Local-files import storages (Label Studio's /api/storages/localfiles): a directory under
LOCAL_FILES_DOCUMENT_ROOT whose new files a sync imports — task files through the import pipeline,
or, with ``use_blob_urls``, one task per file pointing at ``/data/local-files/?d=<path>``."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from labelstudio.core.exceptions import ApplicationError
from labelstudio.core.jobs import job_run
from projects.label_config import parse
from projects.selectors import project_list_for

from . import s3

FIELDS = ("title", "description", "path", "regex_filter", "use_blob_urls", "recursive_scan")
URL_PREFIX = "/data/local-files/?d="


def _enabled() -> None:
    if not settings.LOCAL_FILES_SERVING_ENABLED:
        raise ApplicationError(
            "local files storage is off on this server: set LOCAL_FILES_SERVING_ENABLED=true "
            "and LOCAL_FILES_DOCUMENT_ROOT (as in Label Studio)",
            field="path",
        )


def directory(storage) -> Path:
    """The storage's directory, which must exist under LOCAL_FILES_DOCUMENT_ROOT."""
    _enabled()
    root = Path(settings.LOCAL_FILES_DOCUMENT_ROOT).resolve()
    raw = (storage.path or "").strip()
    if not raw:
        raise ApplicationError("path is required", field="path")
    folder = (root / raw).resolve() if not os.path.isabs(raw) else Path(raw).resolve()
    if not folder.is_relative_to(root):
        raise ApplicationError(f"path must be under LOCAL_FILES_DOCUMENT_ROOT ({root})", field="path")
    if not folder.is_dir():
        raise ApplicationError(f"{folder} is not a directory", field="path")
    return folder


def _check(storage) -> None:
    from .claims import check_directory_free

    check_directory_free(storage.project, directory(storage))
    s3.compiled_filter(storage.regex_filter)


@transaction.atomic
def local_storage_create(*, project, **fields):
    from tasks.models import LocalFilesImportStorage

    storage = LocalFilesImportStorage(project=project)
    return local_storage_update(storage=storage, **fields)


@transaction.atomic
def local_storage_update(*, storage, **fields):
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ApplicationError(f"unknown storage fields: {', '.join(sorted(unknown))}", field=sorted(unknown)[0])
    for name, value in fields.items():
        setattr(storage, name, value)
    _check(storage)
    storage.full_clean()
    storage.save()
    return storage


def local_storage_validate(*, storage) -> None:
    _check(storage)


def new_files(storage) -> list[tuple[str, Path]]:
    folder = directory(storage)
    root = Path(settings.LOCAL_FILES_DOCUMENT_ROOT).resolve()
    pattern = s3.compiled_filter(storage.regex_filter)
    known = set(storage.synced_keys or [])
    out = []
    found = folder.rglob("*") if storage.recursive_scan else folder.iterdir()
    for path in sorted(p for p in found if p.is_file() and not p.name.startswith(".")):
        rel = path.relative_to(folder).as_posix()
        if pattern is not None and not pattern.search(rel):
            continue
        if path.resolve().is_relative_to(root) and rel not in known:
            out.append((rel, path))
    return out


def _data_key(project) -> str:
    keys = sorted(parse(project.label_config).data_keys)
    if not keys:
        raise ApplicationError("the labeling config names no data key to put the file URLs in", field="use_blob_urls")
    return keys[0]


def local_storage_sync(*, storage, created_by):
    """Import the directory's new files now; returns the import job (the files are then known)."""
    from tasks.importers.services import import_job_create, import_run

    files = new_files(storage)
    root = Path(settings.LOCAL_FILES_DOCUMENT_ROOT).resolve()
    if not files:
        type(storage).objects.filter(pk=storage.pk).update(last_sync=timezone.now(), last_sync_count=0)
        storage.refresh_from_db()
        return None
    if storage.use_blob_urls:
        key = _data_key(storage.project)
        tasks = [{key: URL_PREFIX + path.resolve().relative_to(root).as_posix()} for _, path in files]
        job = import_job_create(project=storage.project, created_by=created_by, tasks=tasks, enqueue=False)
    else:
        paths = [path for _, path in files]
        job = import_job_create(project=storage.project, created_by=created_by, files=paths, enqueue=False)
    job_run(job.pk, import_run)
    job.refresh_from_db()
    if job.status == "succeeded":
        storage.synced_keys = [*(storage.synced_keys or []), *(rel for rel, _ in files)]
        storage.last_sync, storage.last_sync_count = timezone.now(), (job.result or {}).get("task_count", 0)
        storage.save(update_fields=["synced_keys", "last_sync", "last_sync_count"])
    return job


def resolve_local_file(user, relative: str) -> Path | None:
    """The file behind /data/local-files/?d=<relative> if the user may see a project (its members,
    its organization's owners and administrators) with a local storage whose directory holds it;
    else None."""
    from tasks.models import LocalFilesImportStorage

    if not settings.LOCAL_FILES_SERVING_ENABLED or not relative:
        return None
    root = Path(settings.LOCAL_FILES_DOCUMENT_ROOT).resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        return None
    storages = LocalFilesImportStorage.objects.filter(project__in=project_list_for(user).values("pk"))
    for storage in storages:
        raw = storage.path.strip()
        folder = (root / raw).resolve() if not os.path.isabs(raw) else Path(raw).resolve()
        if target.is_relative_to(folder):
            return target
    return None
