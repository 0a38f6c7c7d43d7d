"""The bucket, through boto3: list keys under the prefix (regex-filtered), fetch an object,
presign a URL. Errors become one sentence for the user.

Blank keys mean anonymous (unsigned) access: the server's own credentials (environment, instance
role) are never used on a user's behalf.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import boto3
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from labelstudio.core.exceptions import ApplicationError
from labelstudio.core.net import check_url

PAGE = 1000


class StorageError(ApplicationError):
    pass


def client(storage):
    if storage.s3_endpoint:
        check_url(storage.s3_endpoint)
    config = Config(
        connect_timeout=10,
        read_timeout=60,
        retries={"max_attempts": 3, "mode": "standard"},
        signature_version="s3v4" if storage.aws_access_key_id else UNSIGNED,
        s3={"addressing_style": "path"},
    )
    return boto3.session.Session().client(
        "s3",
        endpoint_url=storage.s3_endpoint or None,
        region_name=storage.region_name or None,
        aws_access_key_id=storage.aws_access_key_id or None,
        aws_secret_access_key=storage.aws_secret_access_key or None,
        aws_session_token=storage.aws_session_token or None,
        config=config,
    )


def explain(storage, exc: Exception) -> StorageError:
    """One sentence for a boto error."""
    where = f"s3://{storage.bucket}/{storage.prefix}"
    if isinstance(exc, ClientError):
        code = exc.response.get("Error", {}).get("Code", "")
        message = exc.response.get("Error", {}).get("Message", "") or str(exc)
        if code in ("NoSuchBucket", "404"):
            return StorageError(f"bucket '{storage.bucket}' does not exist", field="bucket")
        if code in ("AccessDenied", "403", "InvalidAccessKeyId", "SignatureDoesNotMatch"):
            return StorageError(f"access to {where} was denied ({code}); check the keys", field="aws_access_key_id")
        return StorageError(f"{where}: {code or 'error'}: {message}")
    return StorageError(f"cannot reach {where}: {exc}", field="s3_endpoint")


def compiled_filter(regex: str):
    if not regex:
        return None
    try:
        return re.compile(regex)
    except re.error as exc:
        raise StorageError(f"regex_filter is not a valid regular expression: {exc}", field="regex_filter") from exc


def list_pages(storage) -> Iterator[list[tuple[str, int]]]:
    """Pages of (key, size) under the prefix that match the regex (``re.match``, like Label Studio)."""
    pattern = compiled_filter(storage.regex_filter)
    s3 = client(storage)
    try:
        pages = s3.get_paginator("list_objects_v2").paginate(
            Bucket=storage.bucket, Prefix=storage.prefix or "", PaginationConfig={"PageSize": PAGE}
        )
        for page in pages:
            keys = [(o["Key"], o.get("Size", 0)) for o in page.get("Contents", []) if not o["Key"].endswith("/")]
            if pattern is not None:
                keys = [(k, s) for k, s in keys if pattern.match(k)]
            if keys:
                yield keys
    except (ClientError, BotoCoreError) as exc:
        raise explain(storage, exc) from exc


def validate(storage) -> None:
    """Raise StorageError unless the bucket can be listed with these settings."""
    compiled_filter(storage.regex_filter)
    try:
        client(storage).list_objects_v2(Bucket=storage.bucket, Prefix=storage.prefix or "", MaxKeys=1)
    except (ClientError, BotoCoreError) as exc:
        raise explain(storage, exc) from exc


def download(storage, key: str, path: Path, max_bytes: int) -> int:
    try:
        obj = client(storage).get_object(Bucket=storage.bucket, Key=key)
        size = 0
        with path.open("wb") as out:
            for chunk in obj["Body"].iter_chunks(1024 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise StorageError(f"s3://{storage.bucket}/{key} is larger than the file-size limit")
                out.write(chunk)
        return size
    except (ClientError, BotoCoreError) as exc:
        raise explain(storage, exc) from exc


def open_object(storage, key: str, byte_range: str | None = None) -> dict:
    """The object (``byte_range``: an HTTP ``Range`` value passed on, so the answer is partial)."""
    extra = {"Range": byte_range} if byte_range else {}
    try:
        return client(storage).get_object(Bucket=storage.bucket, Key=key, **extra)
    except (ClientError, BotoCoreError) as exc:
        raise explain(storage, exc) from exc


def presigned_url(storage, key: str) -> str:
    return client(storage).generate_presigned_url(
        "get_object", Params={"Bucket": storage.bucket, "Key": key}, ExpiresIn=max(storage.presign_ttl, 1) * 60
    )
