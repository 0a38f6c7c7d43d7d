"""A storage sync as the import pipeline's documents.

The new keys (not linked by an earlier sync) are listed first and spooled to a file in the job's
directory: all the sync's database reads happen before any row is written, and a bucket of
millions of keys costs no memory. Then, per key: a media object becomes one task pointing at its
``s3://`` URL (``use_blob_urls``), or a task file is downloaded and read like an upload.
"""

from __future__ import annotations

import json

from tasks.importers.documents import Document
from tasks.importers.errors import ImportAborted, RowError
from tasks.importers.files import detect_format, unique_path

from . import s3


def storage_documents(sources, storage_id: int):
    from tasks.models import S3ImportStorage, S3ImportStorageLink

    storage = S3ImportStorage.objects.filter(pk=storage_id).first()
    if storage is None:
        raise ImportAborted(RowError(file=f"storage {storage_id}", message="the storage was deleted"))
    sources.dir.mkdir(parents=True, exist_ok=True)
    spool = sources.dir / "new-keys.jsonl"
    count = 0
    try:
        with spool.open("w", encoding="utf-8") as out:
            for page in s3.list_pages(storage):
                known = set(
                    S3ImportStorageLink.objects.filter(storage=storage, key__in=[k for k, _ in page]).values_list(
                        "key", flat=True
                    )
                )
                for key, size in page:
                    if key not in known:
                        out.write(json.dumps([key, size]) + "\n")
                        count += 1
                        sources.total_bytes += size if not storage.use_blob_urls else 1
    except s3.StorageError as exc:
        raise ImportAborted(RowError(file=f"s3://{storage.bucket}/{storage.prefix}", message=exc.message)) from exc
    sources.task_files.append(spool)
    with spool.open(encoding="utf-8") as keys:
        for line in keys:
            key, size = json.loads(line)
            yield from _object(sources, storage, key, size)


def _object(sources, storage, key: str, size: int):
    name = f"s3://{storage.bucket}/{key}"
    fmt = detect_format(key) or ""
    if fmt in ("csv", "tsv") and sources.csv_is_series():  # one series task, read from the bucket
        yield Document(path=None, name=name, fmt="media:timeseries", size=1, url=name, storage_key=key)
        return
    if storage.use_blob_urls:
        media = fmt if fmt.startswith("media:") else "media:other"
        yield Document(path=None, name=name, fmt=media, size=1, url=name, storage_key=key)
        return
    if fmt.startswith("media:") or not fmt:
        yield RowError(
            file=name,
            message="not a task file (JSON, JSON lines, CSV, TSV, TXT, zip, tar.gz); "
            "set use_blob_urls to import media objects as one task each",
        )
        return
    if size > sources.limits.max_file_bytes:
        yield RowError(file=name, message="the object is larger than the file-size limit")
        return
    path = unique_path(sources.dir / "objects", key.rsplit("/", 1)[-1])
    try:
        s3.download(storage, key, path, sources.limits.max_file_bytes)
    except s3.StorageError as exc:
        yield RowError(file=name, message=exc.message)
        return
    sources.task_files.append(path)
    yield from sources.from_file(path, name, storage_key=key)
