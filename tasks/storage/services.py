"""Writes for S3 import storages: create, update, validate the connection, sync (-> an import job)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.db import transaction

from labelstudio.core.exceptions import ApplicationError
from labelstudio.core.net import check_url
from projects.models import Project

from . import s3

if TYPE_CHECKING:  # at run time the functions that need them import them
    from labelstudio.core.models import Job
    from tasks.models import S3ImportStorage

FIELDS = (  # what a user may set on a storage; the serializer exposes the same, in this order
    "title",
    "description",
    "bucket",
    "prefix",
    "regex_filter",
    "use_blob_urls",
    "presign",
    "presign_ttl",
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "region_name",
    "s3_endpoint",
)


def _check(storage: S3ImportStorage) -> None:
    if not (storage.bucket or "").strip():
        raise ApplicationError("bucket is required", field="bucket")
    s3.compiled_filter(storage.regex_filter)
    if storage.s3_endpoint:
        check_url(storage.s3_endpoint)


def _apply(storage: S3ImportStorage, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ApplicationError(f"unknown storage fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(storage, name, value)
    _check(storage)


@transaction.atomic
def storage_create(*, project: Project, **fields: Any) -> S3ImportStorage:
    from tasks.models import S3ImportStorage

    storage = S3ImportStorage(project=project)
    _apply(storage, fields)
    storage.full_clean()
    storage.save()
    return storage


@transaction.atomic
def storage_update(*, storage: S3ImportStorage, **fields: Any) -> S3ImportStorage:
    _apply(storage, fields)
    storage.full_clean()
    storage.save()
    return storage


def storage_validate(*, storage: S3ImportStorage) -> None:
    """Raise an ApplicationError saying why the bucket cannot be listed with these settings."""
    _check(storage)
    s3.validate(storage)


def storage_sync(*, storage: S3ImportStorage, created_by: User | None, options: Mapping[str, Any] | None = None) -> Job:
    """Start an import job that adds the bucket's new objects to the project."""
    from tasks.importers.services import import_job_create

    _check(storage)
    return import_job_create(project=storage.project, created_by=created_by, storage=storage, options=options)


def storage_delete(*, storage: S3ImportStorage) -> None:
    """Delete the storage; tasks imported from it stay (their links go)."""
    storage.delete()
