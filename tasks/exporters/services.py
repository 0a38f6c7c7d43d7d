"""Export operations: create an export job, run it (stream tasks through a format into a file),
stream a direct download, convert a JSON snapshot, delete, and expire old files.

An export reads one consistent snapshot (REPEATABLE READ on PostgreSQL) and writes to a temp file
that is renamed into place, so a file is either complete or absent. Files live under
``DATA_DIR/export/<project id>/`` and their job row keeps format, options, counts and md5.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from labelstudio.core.exceptions import ApplicationError
from labelstudio.core.jobs import Progress, job_create
from labelstudio.core.models import Job
from projects.models import Project

from . import registry
from .media import Media
from .options import ExportOptions
from .rows import Counts, iter_tasks, task_queryset
from .schema import Schema
from .sinks import DrainBuffer, HashingFile, Stream, open_sink

#: A task as exports write it (Label Studio's task JSON).
TaskJson = dict[str, Any]

EXPORT_DIR = "export"


def export_dir(project_id: int) -> Path:
    path = Path(settings.DATA_DIR) / EXPORT_DIR / str(project_id)
    path.mkdir(parents=True, exist_ok=True)
    return path


def prepare(
    project: Project, format_name: str | None, options: dict[str, Any] | None
) -> tuple[registry.Format, ExportOptions, Schema]:
    """Resolve and validate a format and options for a project (a 400 naming what is wrong)."""
    fmt, implied = registry.resolve(format_name)
    opts = ExportOptions.from_dict({**(options or {}), **implied})
    schema = Schema.from_text(project.label_config)
    registry.check_supported(fmt, schema, format_name)
    return fmt, opts, schema


def export_create(
    *,
    project: Project,
    created_by: User | None,
    format: str | None = "JSON",
    options: dict[str, Any] | None = None,
    title: str = "",
    extra_params: dict[str, Any] | None = None,
    celery_task: object = None,
) -> Job:
    """Validate, then queue an export job (it runs after the current transaction commits)."""
    from ..celery_tasks import run_export

    fmt, opts, _ = prepare(project, format, options)
    params = {
        "format": fmt.name,
        "requested_format": (format or fmt.name).upper(),
        "options": opts.to_dict(),
        "title": title or "",
        **(extra_params or {}),
    }
    return job_create(
        kind=Job.Kind.EXPORT,
        celery_task=celery_task or run_export,
        project=project,
        params=params,
        created_by=created_by,
    )


def export_run(job: Job, progress: Progress) -> dict[str, Any]:
    """The job body: write the export file and return its counts (``result_file`` is stored)."""
    if job.params.get("convert_from"):
        return _convert_run(job, progress)
    project = _project_of(job)
    fmt, opts, schema = prepare(project, job.params.get("format"), job.params.get("options"))
    with _snapshot():
        snapshot_at = _db_now()
        total = task_queryset(project, opts).count()
        progress.report(0, total, force=True)
        counts = Counts()
        tasks = iter_tasks(
            project,
            opts,
            counts=counts,
            raw_json=fmt.raw_json,
            on_batch=lambda n: progress.report(min(n, total), total),
        )
        result = _write_file(job, project, fmt, opts, schema, tasks, attempt=progress.attempt)
    try:
        progress.report(total, total, force=True)
    except BaseException:  # cancelled or superseded at the last moment: the file is not this job's
        (Path(settings.DATA_DIR) / result["result_file"]).unlink(missing_ok=True)
        raise
    return {
        **result,
        "tasks": counts.tasks,
        "completions": counts.completions,
        "predictions": counts.predictions,
        "snapshot_at": snapshot_at.isoformat(),
    }


def _project_of(job: Job) -> Project:
    assert job.project is not None  # export jobs are created with their project (and deleted with it)
    return job.project


def _write_file(
    job: Job,
    project: Project,
    fmt: registry.Format,
    opts: ExportOptions,
    schema: Schema,
    tasks: Iterable[TaskJson],
    attempt: int = 0,
) -> dict[str, Any]:
    folder = export_dir(project.pk)
    stamp = timezone.now().strftime("%Y-%m-%d-%H-%M")
    # a retried attempt writes its own file: two attempts at once never share a path (the one that
    # does not own the job at the end deletes its file, labelstudio/core/jobs.py)
    again = f"-{attempt}" if attempt > 1 else ""
    name = f"project-{project.pk}-at-{stamp}-{job.pk}{again}{fmt.file_extension(opts)}"
    partial = folder / f".{name}.partial"
    stream = HashingFile(partial)
    try:
        for _chunk in generate(project.pk, fmt, opts, schema, tasks, stream):
            pass
        os.replace(partial, folder / name)
    finally:
        stream.close()
        partial.unlink(missing_ok=True)
    ctx = stream.context
    assert ctx is not None  # set by generate()
    return {
        "result_file": str((folder / name).relative_to(settings.DATA_DIR)),
        "file_name": name,
        "format": fmt.name,
        "size": stream.size,
        "md5": stream.md5.hexdigest(),
        "warnings": ctx.warnings,
        "warning_count": ctx.warning_count,
        **ctx.stats,
    }


def generate(
    project_id: int,
    fmt: registry.Format,
    opts: ExportOptions,
    schema: Schema,
    tasks: Iterable[TaskJson],
    stream: Stream,
) -> Iterator[bytes]:
    """Run a format over tasks into ``stream``; yields what the stream has to hand over (streaming)."""
    tmp_root = Path(settings.DATA_DIR) / "tmp"
    tmp_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=tmp_root, prefix="export-") as tmp:
        ctx = registry.Context(
            project_id=project_id,
            schema=schema,
            options=opts,
            tmpdir=Path(tmp),
            media=Media(Path(tmp), project_id=project_id),
            now=timezone.now(),
        )
        stream.context = ctx
        sink = open_sink(stream, fmt.archive_for(opts), Path(tmp))
        for _ in fmt.write(tasks, sink, ctx):
            chunk = sink.drain()
            if chunk:
                yield chunk
        sink.close()
        chunk = sink.drain()
        if chunk:
            yield chunk


def export_stream(
    *, project: Project, format: str | None, options: dict[str, Any] | None
) -> tuple[str, str, Iterator[bytes]]:
    """A direct download: (file name, content type, byte chunks) produced while tasks are read."""
    fmt, opts, schema = prepare(project, format, options)
    stamp = timezone.now().strftime("%Y-%m-%d-%H-%M")
    name = f"project-{project.pk}-at-{stamp}{fmt.file_extension(opts)}"
    content_type = "application/zip" if fmt.archive_for(opts) else _content_type(fmt.extension)
    chunks = generate(project.pk, fmt, opts, schema, iter_tasks(project, opts, raw_json=fmt.raw_json), DrainBuffer())
    return name, content_type, chunks


def _content_type(extension: str) -> str:
    return {
        ".json": "application/json",
        ".jsonl": "application/jsonl",
        ".csv": "text/csv",
        ".tsv": "text/tab-separated-values",
    }.get(extension, "text/plain")


class _snapshot:
    """One REPEATABLE READ, read-only transaction on PostgreSQL, so the file is one consistent state."""

    def __enter__(self) -> _snapshot:
        self.atomic = transaction.atomic()
        outermost = not connection.in_atomic_block
        self.atomic.__enter__()
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.atomic.__exit__(exc_type, exc, tb)


def _db_now() -> datetime:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT now()")
            now: datetime = cursor.fetchone()[0]  # a timestamptz column: an aware datetime
            return now
    return timezone.now()


# --- files of finished exports ---------------------------------------------------------------
def export_file(job: Job, export_type: str | None = None) -> tuple[Path, str]:
    """(path, download name) of an export's file, or of its conversion to ``export_type``."""
    if export_type:
        fmt, _ = registry.resolve(export_type)
        if fmt.name != job.params.get("format"):
            converted = conversions_of(job).filter(params__format=fmt.name, status=Job.Status.SUCCEEDED).first()
            if converted is None:
                raise ApplicationError(f"this export has no {export_type} file; convert it first", status_code=404)
            job = converted
    if job.status != Job.Status.SUCCEEDED:
        raise ApplicationError(f"the export is {job.status}, there is no file yet", status_code=404)
    if not job.result_file:
        raise ApplicationError("the export file has expired or was deleted", status_code=404)
    path = Path(settings.DATA_DIR) / job.result_file
    if not path.is_file():
        raise ApplicationError("the export file is missing on the server", status_code=404)
    return path, job.result.get("file_name") or path.name


def conversions_of(job: Job) -> QuerySet[Job]:
    return Job.objects.filter(kind=Job.Kind.EXPORT, params__convert_from=job.pk).order_by("-id")


def export_convert(*, job: Job, format: str, created_by: User | None) -> Job:
    """Queue a conversion of a finished JSON export (a snapshot) into another format."""
    if job.params.get("format") not in ("JSON", "JSONL") or job.status != Job.Status.SUCCEEDED:
        raise ApplicationError("only a finished JSON export can be converted; create a new export instead")
    fmt, implied = registry.resolve(format)
    options = {**job.params.get("options", {}), **implied}
    return export_create(
        project=_project_of(job),
        created_by=created_by,
        format=format,
        options=options,
        title=job.params.get("title", ""),
        extra_params={"convert_from": job.pk},
    )


def _convert_run(job: Job, progress: Progress) -> dict[str, Any]:
    """Read the source snapshot with ijson (constant memory) and write it in the new format."""
    import ijson

    source = Job.objects.get(pk=job.params["convert_from"])
    path, _ = export_file(source)
    project = _project_of(job)
    fmt, opts, schema = prepare(project, job.params.get("format"), job.params.get("options"))
    counts = Counts()
    with open(path, "rb") as f:
        items = ijson.items(f, "item", use_float=True) if path.suffix == ".json" else _json_lines(f)
        result = _write_file(
            job,
            project,
            fmt,
            opts,
            schema,
            _counted(items, counts, progress),
            attempt=getattr(progress, "attempt", 0),
        )
    return {**result, "tasks": counts.tasks, "completions": counts.completions, "predictions": counts.predictions}


def _json_lines(f: IO[bytes]) -> Iterator[TaskJson]:
    import json

    for line in f:
        if line.strip():
            yield json.loads(line)


def _counted(tasks: Iterable[TaskJson], counts: Counts, progress: Progress) -> Iterator[TaskJson]:
    for task in tasks:
        counts.tasks += 1
        counts.completions += len(task.get("annotations") or [])
        counts.predictions += len(task.get("predictions") or [])
        progress.report(counts.tasks)
        yield task


def export_delete(*, job: Job) -> None:
    """Delete an export, its conversions and their files."""
    if job.kind != Job.Kind.EXPORT:
        raise ApplicationError("not an export")
    for row in [*conversions_of(job), job]:
        if row.result_file:
            (Path(settings.DATA_DIR) / row.result_file).unlink(missing_ok=True)
        row.delete()


def exports_expire(*, now: datetime | None = None) -> int:
    """Delete export files older than EXPORT_FILE_TTL_DAYS; the job rows stay as history."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.EXPORT_FILE_TTL_DAYS)
    expired = 0
    for job in Job.objects.filter(kind=Job.Kind.EXPORT, finished_at__lt=cutoff).exclude(result_file=""):
        (Path(settings.DATA_DIR) / job.result_file).unlink(missing_ok=True)
        Job.objects.filter(pk=job.pk).update(result_file="", result={**job.result, "expired_at": now.isoformat()})
        expired += 1
    root = Path(settings.DATA_DIR) / EXPORT_DIR
    if root.exists():  # files of deleted projects (their job rows went with them)
        live = {str(pk) for pk in Project.objects.values_list("pk", flat=True)}
        for folder in root.iterdir():
            recent = folder.stat().st_mtime > (now - timedelta(hours=1)).timestamp()  # a project being born
            if folder.is_dir() and folder.name not in live and not recent:
                shutil.rmtree(folder, ignore_errors=True)
    tmp_root = Path(settings.DATA_DIR) / "tmp"
    for stale in tmp_root.glob("export-*") if tmp_root.exists() else []:
        if stale.stat().st_mtime < cutoff.timestamp():
            shutil.rmtree(stale, ignore_errors=True)
    return expired
