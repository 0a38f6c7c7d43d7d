"""Data import: one entry point for the API, the command line and storages.

``import_job_create`` stores the inputs and creates the job (enqueued once committed) — the
request returns at once. ``import_run`` is the job's work: it reads, checks and writes in ONE
transaction, so an import is all-or-nothing and a killed worker leaves nothing behind; the job
row is locked and marked ``committed`` inside that same transaction (``Progress.commit_point``:
only the attempt that owns the job may commit, an older concurrent one ends "superseded"), so a
redelivered, retried or concurrently running job never writes twice (and leftovers of an
attempt, were there any, carry ``import_job`` and are deleted first). Design notes: docs/import.md.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone

from labelstudio.core import events
from labelstudio.core.exceptions import ApplicationError
from labelstudio.core.jobs import JobError, Progress, job_create, job_run
from labelstudio.core.models import Job
from labelstudio.core.net import check_url
from projects.label_config import LabelConfig, LabelConfigError, parse
from projects.models import Project

from .. import search_index
from .errors import ImportAborted
from .files import job_dir, store_upload
from .options import ImportOptions, Limits
from .pipeline import Outcome, Pipeline
from .progress import ImportProgress
from .sources import Sources
from .users import UserResolver
from .writer import make_sink

if TYPE_CHECKING:  # at run time the functions that need it import it
    from tasks.models import S3ImportStorage

#: An uploaded file, or a local file the command line names.
Upload = UploadedFile | Path
#: Import options as a request or job params carry them (``ImportOptions.parse``), or parsed.
Options = ImportOptions | Mapping[str, Any] | None

RETRY_HINT = "nothing was imported (commit_mode=skip_bad_rows imports the good rows and reports the rest)"


def import_job_create(
    *,
    project: Project,
    created_by: User | None,
    files: Sequence[Upload] | None = None,
    url: str | None = None,
    tasks: object = None,
    storage: S3ImportStorage | None = None,
    options: Options = None,
    enqueue: bool = True,
) -> Job:
    """Store what is to be imported and create the import job; returns at once."""
    given = [
        name
        for name, value in (("files", files), ("url", url), ("tasks", tasks), ("storage", storage))
        if value not in (None, "", [])
    ]
    if len(given) != 1:
        raise ApplicationError("give one thing to import: files, a url, tasks or a storage")
    opts = options if isinstance(options, ImportOptions) else ImportOptions.parse(options)
    limits = Limits.from_settings()
    if files and len(files) > limits.max_files:
        raise ApplicationError(
            f"{len(files)} files in one import, more than the limit of {limits.max_files}", field="files"
        )
    if url:
        check_url(url)
    if storage is not None and storage.project_id != project.pk:
        raise ApplicationError("the storage belongs to another project", field="storage")
    with transaction.atomic():
        job = job_create(
            kind=Job.Kind.IMPORT,
            celery_task=_run_import(),
            project=project,
            created_by=created_by,
            params={"options": opts.to_json()},
            enqueue=enqueue,
        )
        directory = job_dir(project.pk, job.pk)
        shutil.rmtree(directory, ignore_errors=True)  # a stale directory of a job id from an earlier database
        try:
            source = _store(directory, files=files, url=url, tasks=tasks, storage=storage, limits=limits)
        except ImportAborted as exc:
            shutil.rmtree(directory, ignore_errors=True)
            raise ApplicationError(exc.error.message, file=exc.error.file) from exc
        except BaseException:
            shutil.rmtree(directory, ignore_errors=True)
            raise
        job.params = {**job.params, "source": source}
        job.progress_total = source.pop("bytes", 0)
        job.save(update_fields=["params", "progress_total"])
    return job


def _run_import() -> object:
    """The Celery task that runs import jobs."""
    from tasks.celery_tasks import run_import

    return run_import


def _store(
    directory: Path,
    *,
    files: Sequence[Upload] | None,
    url: str | None,
    tasks: object,
    storage: S3ImportStorage | None,
    limits: Limits,
) -> dict[str, Any]:
    if url:
        return {"kind": "url", "url": url}
    if storage is not None:
        return {"kind": "storage", "storage": storage.pk}
    directory.mkdir(parents=True, exist_ok=True)
    if tasks is not None:
        if not isinstance(tasks, list | dict):
            raise ApplicationError("tasks must be a JSON list of tasks or one task object")
        path = directory / "tasks.json"
        with path.open("w", encoding="utf-8") as out:
            json.dump(tasks, out, ensure_ascii=False)
        return {"kind": "files", "files": [path.name], "bytes": path.stat().st_size}
    stored: list[Path] = []
    for upload in files or ():
        if isinstance(upload, Path):
            with upload.open("rb") as content:
                stored.append(store_upload(directory, (upload.name, content), limits.max_file_bytes))
        else:
            stored.append(store_upload(directory, upload, limits.max_file_bytes))
    return {"kind": "files", "files": [p.name for p in stored], "bytes": sum(p.stat().st_size for p in stored)}


def import_job_for_paths(
    *,
    project: Project,
    created_by: User | None,
    paths: str | Path | list[str | Path] | tuple[str | Path, ...],
    options: Options = None,
) -> Job:
    """An import job that reads local files in place (trusted callers: the command line)."""
    resolved = [Path(p).resolve() for p in (paths if isinstance(paths, list | tuple) else [paths])]
    for p in resolved:
        if not p.exists():
            raise ApplicationError(f"no such file or directory: {p}", field="path")
    opts = options if isinstance(options, ImportOptions) else ImportOptions.parse(options)
    total = sum(f.stat().st_size for p in resolved for f in ([p] if p.is_file() else p.rglob("*")) if f.is_file())
    with transaction.atomic():
        return job_create(
            kind=Job.Kind.IMPORT,
            celery_task=None,
            project=project,
            created_by=created_by,
            params={"options": opts.to_json(), "source": {"kind": "paths", "paths": list(map(str, resolved))}},
            total=total,
            enqueue=False,
        )


def import_from_path(
    *, project: Project, created_by: User | None, path: str | Path | list[str | Path], options: Options = None
) -> Job:
    """Import local files (or a directory) inline, without a worker: ``manage.py start --input-path``."""
    job = import_job_for_paths(project=project, created_by=created_by, paths=path, options=options)
    job_run(job.pk, import_run)
    job.refresh_from_db()
    return job


def import_run(job: Job, progress: Progress) -> dict[str, Any]:
    """The import job's work (called by ``job_run``); returns the final counts."""
    if job.result.get("committed"):  # an earlier attempt committed; its worker died before finishing the row
        progress.committed = True
        return {**job.result, "errors": job.errors}
    project = job.project
    assert project is not None  # import jobs are created with their project (and deleted with it)
    options = ImportOptions.parse(job.params.get("options"))
    limits = Limits.from_settings()
    stats = ImportProgress(progress, job.pk)
    storage_id = job.params.get("source", {}).get("storage")
    started = time.monotonic()
    sources = None
    try:
        with transaction.atomic():
            # The config the rows are checked against is read under the project row's shared lock,
            # held to the commit: a config change (which takes the row exclusively and checks that
            # no completion uses what it removes) waits for this import, or this import reads the
            # changed config, so imported completions never use a removed label (as submits).
            config = _config_under_lock(project.pk)
            sources = Sources(job=job, config=config, limits=limits)
            sources.files_as_tasks_list = options.files_as_tasks_list
            _delete_leftovers(job)
            if storage_id:
                from tasks.models import S3ImportStorage

                S3ImportStorage.objects.select_for_update().filter(pk=storage_id).first()  # one sync at a time
            sink = make_sink(
                project_id=project.pk, job_id=job.pk, overlap=project.maximum_annotations, storage_id=storage_id
            )
            users = UserResolver(job.created_by_id or project.created_by_id, before_query=sink.pause)
            try:
                outcome = Pipeline(
                    config=config, options=options, limits=limits, sink=sink, users=users, stats=stats
                ).run(sources)
                _refuse_bad_input(outcome, options)
                stats.update(done=sources.total_bytes, total=sources.total_bytes, force=True, phase="committing")
                counts = sink.finish()
            except BaseException:
                sink.abort()
                raise
            errors = outcome.errors
            if counts["task_count"] == 0 and not storage_id:
                message = "none of the rows could be imported" if errors.count else "no tasks found in the input"
                raise JobError(message, errors=errors.as_list(), error_count=errors.count)
            result = {
                **counts,
                "rows_read": outcome.rows_read,
                "error_count": errors.count,
                "skipped_rows": errors.bad_rows,
                "files": outcome.files,
                "commit_mode": options.commit_mode,
                "duration": round(time.monotonic() - started, 3),
                "committed": True,
            }
            if storage_id:
                _storage_synced(storage_id, job, counts["task_count"])
            _after_import(project, job, counts)
            if counts["task_count"]:
                search_index.queue(project.pk)  # on commit: the new tasks go into the search index
            progress.commit_point(final=True)  # locks the job row: only the attempt that owns the job commits
            Job.objects.filter(pk=job.pk).update(result=result, errors=errors.as_list())
    except ImportAborted as exc:
        raise JobError(str(exc.error), errors=[exc.error.as_dict()]) from exc
    stats.finish(phase="done", tasks_created=counts["task_count"])  # committed: no cancel check from here
    progress.done = progress.total = sources.total_bytes
    sources.remove_task_files()
    return {**result, "errors": errors.as_list()}


def _config_under_lock(project_id: int) -> LabelConfig:
    """The project's parsed labeling config, read with the row's shared lock (FOR KEY SHARE on
    PostgreSQL; SQLite serialises writers already)."""

    lock = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT label_config FROM {Project._meta.db_table} WHERE id = %s{lock}", [project_id])  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        raise JobError("the project was deleted")
    try:
        return parse(row[0])
    except LabelConfigError as exc:
        raise JobError(f"the project's labeling config is invalid: {exc}") from exc


def _after_import(project: Project, job: Job, counts: dict[str, int]) -> None:
    """Tell the other apps, inside the import's transaction: IMPORT_FINISHED (ML: human-in-the-loop
    priorities in this transaction, pre-labeling on commit) and TASKS_CREATED (webhooks, on
    commit; ``task_ids`` is a lazy queryset, read only if someone listens)."""
    from tasks.models import Task

    events.emit(events.IMPORT_FINISHED, project=project, job=job, counts=counts)
    if counts.get("task_count"):
        task_ids = Task.objects.filter(import_job=job).values_list("pk", flat=True)
        events.emit(events.TASKS_CREATED, project=project, task_ids=task_ids)


def _refuse_bad_input(outcome: Outcome, options: ImportOptions) -> None:
    errors = outcome.errors
    if errors.count == 0 or options.skip_bad_rows:
        return
    first = errors.listed[0]
    summary = str(first) if errors.count == 1 else f"{errors.count} errors, the first: {first}"
    raise JobError(f"{summary}; {RETRY_HINT}", errors=errors.as_list(), error_count=errors.count)


def _delete_leftovers(job: Job) -> None:
    """Rows of an earlier attempt of this job. One transaction per attempt means there are none
    unless that attempt committed (then ``committed`` is set); kept as the invariant's backstop."""
    from tasks.models import S3ImportStorageLink, Task

    if Task.objects.filter(import_job=job).exists():
        Task.objects.filter(import_job=job).delete()
    S3ImportStorageLink.objects.filter(import_job=job).delete()


def _storage_synced(storage_id: int, job: Job, count: int) -> None:
    from tasks.models import S3ImportStorage

    S3ImportStorage.objects.filter(pk=storage_id).update(
        last_sync=timezone.now(), last_sync_count=count, last_sync_job=job
    )
