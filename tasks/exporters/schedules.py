"""Export schedules: an export that Celery beat runs by itself (crontab or every N hours) into a
local directory or an S3-compatible bucket, optionally only for tasks new or changed since the
last successful run.

Each schedule owns one django-celery-beat ``PeriodicTask`` (kept in step here, the only writer).
A tick creates an export job tagged with the schedule; a failed run is retried with backoff
(``MAX_ATTEMPTS``), its error visible on the job row meanwhile; only a successful run moves the
schedule's watermark (``last_run_at``, the snapshot time of that run).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from labelstudio.core.exceptions import ApplicationError
from labelstudio.core.jobs import Progress
from labelstudio.core.models import Job
from labelstudio.core.net import check_url

from ..models import ExportSchedule
from . import services
from .options import ExportOptions

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# what a user sets on a schedule, in this order: the API serializer and the admin form list these
FIELDS = (
    "title",
    "format",
    "options",
    "cron",
    "interval_hours",
    "only_changed",
    "target",
    "local_path",
    "s3_bucket",
    "s3_prefix",
    "s3_endpoint",
    "s3_region",
    "aws_access_key_id",
    "aws_secret_access_key",
    "enabled",
)


def local_roots() -> list[Path]:
    return [Path(p).resolve() for p in settings.EXPORT_LOCAL_ROOTS]


def local_target(path: str) -> Path:
    """The target directory, which must lie under one of EXPORT_LOCAL_ROOTS (relative: the first)."""
    roots = local_roots()
    resolved = (roots[0] / path).resolve() if not os.path.isabs(path) else Path(path).resolve()
    if not any(resolved.is_relative_to(root) for root in roots):
        allowed = ", ".join(str(r) for r in roots)
        raise ApplicationError(f"local_path must be under one of: {allowed}", field="local_path")
    return resolved


def schedule_check(schedule: ExportSchedule) -> None:
    """Validate a schedule's fields (format for the config, options, timing, target)."""
    services.prepare(schedule.project, schedule.format, schedule.options)
    if bool(schedule.cron.strip()) == (schedule.interval_hours is not None):
        raise ApplicationError("give either cron or interval_hours", field="cron")
    if schedule.cron.strip():
        _crontab_fields(schedule.cron)
    elif schedule.interval_hours <= 0 or schedule.interval_hours * 3600 < 1:
        raise ApplicationError("interval_hours must be positive (at least one second)", field="interval_hours")
    if schedule.target == ExportSchedule.Target.LOCAL:
        if not schedule.local_path.strip():
            raise ApplicationError("local_path is required for a local target", field="local_path")
        from tasks.storage.claims import check_directory_free

        check_directory_free(schedule.project, local_target(schedule.local_path), field="local_path")
    elif schedule.target == ExportSchedule.Target.S3:
        if not schedule.s3_bucket.strip():
            raise ApplicationError("s3_bucket is required for an S3 target", field="s3_bucket")
        if schedule.s3_endpoint:
            check_url(schedule.s3_endpoint)
    else:
        raise ApplicationError('target must be "local" or "s3"', field="target")


def _crontab_fields(cron: str) -> dict:
    from celery.schedules import crontab

    parts = cron.split()
    if len(parts) != 5:
        raise ApplicationError('cron needs five fields: "minute hour day-of-month month day-of-week"', field="cron")
    fields = dict(zip(("minute", "hour", "day_of_month", "month_of_year", "day_of_week"), parts, strict=True))
    try:
        crontab(**fields)
    except (ValueError, KeyError) as exc:
        raise ApplicationError(f"cron {cron!r} is not valid: {exc}", field="cron") from None
    return fields


def _sync_beat(schedule: ExportSchedule) -> None:
    """Create or update the schedule's PeriodicTask (beat's DatabaseScheduler picks it up)."""
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    crontab = interval = None
    if schedule.cron.strip():
        crontab, _ = CrontabSchedule.objects.get_or_create(
            **_crontab_fields(schedule.cron), timezone=settings.TIME_ZONE
        )
    else:
        seconds = max(1, round(schedule.interval_hours * 3600))
        interval, _ = IntervalSchedule.objects.get_or_create(every=seconds, period=IntervalSchedule.SECONDS)
    values = {
        "name": f"export schedule {schedule.pk}",
        "task": "tasks.run_export_schedule",
        "args": json.dumps([schedule.pk]),
        "crontab": crontab,
        "interval": interval,
        "enabled": schedule.enabled,
    }
    if schedule.periodic_task_id:
        PeriodicTask.objects.filter(pk=schedule.periodic_task_id).update(**values)
        PeriodicTask.objects.get(pk=schedule.periodic_task_id).save()  # bumps beat's change marker
    else:
        schedule.periodic_task = PeriodicTask.objects.create(**values)
        ExportSchedule.objects.filter(pk=schedule.pk).update(periodic_task=schedule.periodic_task)


def _apply(schedule: ExportSchedule, fields: dict) -> None:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ApplicationError(f"unknown schedule fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        if name in ("cron", "title", "local_path", "s3_prefix", "s3_endpoint", "s3_region") and value is None:
            value = ""
        setattr(schedule, name, value)
    schedule.format = (schedule.format or "JSON").upper()
    if fields.get("cron") and "interval_hours" not in fields:
        schedule.interval_hours = None  # switching to cron
    if fields.get("interval_hours") is not None and "cron" not in fields:
        schedule.cron = ""
    schedule_check(schedule)
    if schedule.options:
        schedule.options = ExportOptions.from_dict(schedule.options).to_dict()


@transaction.atomic
def schedule_create(*, project, created_by, **fields) -> ExportSchedule:
    schedule = ExportSchedule(project=project, created_by=created_by)
    _apply(schedule, fields)
    schedule.save()
    _sync_beat(schedule)
    return schedule


@transaction.atomic
def schedule_update(*, schedule: ExportSchedule, **fields) -> ExportSchedule:
    _apply(schedule, fields)
    schedule.save()
    _sync_beat(schedule)
    return schedule


@transaction.atomic
def schedule_delete(*, schedule: ExportSchedule) -> None:
    task = schedule.periodic_task
    schedule.delete()
    if task is not None:
        task.delete()


def schedule_jobs(schedule: ExportSchedule):
    """The schedule's runs, newest first (its history)."""
    return Job.objects.filter(kind=Job.Kind.EXPORT, params__schedule_id=schedule.pk).order_by("-id")


def schedule_run(*, schedule: ExportSchedule, created_by=None) -> Job | None:
    """Queue one run (beat's tick or the API's /run). Skipped while an earlier run is unfinished."""
    from ..celery_tasks import run_scheduled_export

    if schedule_jobs(schedule).filter(status__in=(Job.Status.QUEUED, Job.Status.RUNNING)).exists():
        log.info("export schedule %s: previous run still unfinished, tick skipped", schedule.pk)
        return None
    options = dict(schedule.options or {})
    if schedule.only_changed and schedule.last_run_at:
        options["changed_since"] = schedule.last_run_at.isoformat()
    return services.export_create(
        project=schedule.project,
        created_by=created_by or schedule.created_by,
        format=schedule.format,
        options=options,
        title=schedule.title or f"schedule {schedule.pk}",
        extra_params={"schedule_id": schedule.pk},
        celery_task=run_scheduled_export,
    )


def schedule_tick(schedule_id: int) -> Job | None:
    """Beat's tick. A schedule deleted with its project leaves a beat entry behind: drop it."""
    from django_celery_beat.models import PeriodicTask

    schedule = ExportSchedule.objects.select_related("project").filter(pk=schedule_id).first()
    if schedule is None:
        PeriodicTask.objects.filter(name=f"export schedule {schedule_id}").delete()
        return None
    return schedule_run(schedule=schedule) if schedule.enabled else None


def scheduled_export_run(job: Job, progress: Progress) -> dict:
    """The job body of a scheduled run: export, deliver to the target, move the watermark."""
    schedule = ExportSchedule.objects.get(pk=job.params["schedule_id"])
    result = services.export_run(job, progress)
    path = Path(settings.DATA_DIR) / result["result_file"]
    if schedule.only_changed and result["tasks"] == 0:
        result["delivered_to"] = None  # nothing changed: no empty file at the target
    else:
        try:
            result["delivered_to"] = deliver(schedule, path, result["file_name"])
        except Exception:
            path.unlink(missing_ok=True)
            raise
    ExportSchedule.objects.filter(pk=schedule.pk).update(last_run_at=result["snapshot_at"], last_job=job)
    return result


def deliver(schedule: ExportSchedule, path: Path, name: str) -> str:
    """Copy the file to the schedule's target; returns where it went."""
    if schedule.target == ExportSchedule.Target.S3:
        import boto3

        if schedule.s3_endpoint:
            check_url(schedule.s3_endpoint)
        client = boto3.client(
            "s3",
            endpoint_url=schedule.s3_endpoint or None,
            region_name=schedule.s3_region or None,
            aws_access_key_id=schedule.aws_access_key_id or None,
            aws_secret_access_key=schedule.aws_secret_access_key or None,
        )
        key = f"{schedule.s3_prefix.strip('/')}/{name}" if schedule.s3_prefix.strip("/") else name
        client.upload_file(str(path), schedule.s3_bucket, key)
        return f"s3://{schedule.s3_bucket}/{key}"
    folder = local_target(schedule.local_path)
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{name}.partial"
    shutil.copyfile(path, partial)
    os.replace(partial, folder / name)
    return str(folder / name)


def scheduled_export_retry(job_id: int, celery_task) -> int | None:
    """After a failed run: queue it again with backoff while attempts remain; returns the delay."""
    job = Job.objects.filter(pk=job_id, status=Job.Status.FAILED).first()
    if job is None or job.attempts >= MAX_ATTEMPTS:
        return None
    delay = settings.EXPORT_SCHEDULE_RETRY_SECONDS * 2 ** (job.attempts - 1)
    note = f"attempt {job.attempts} of {MAX_ATTEMPTS} failed: {job.error}; retrying in {delay} s"
    due = timezone.now() + timedelta(seconds=delay)  # the reaper counts a lost message from then
    Job.objects.filter(pk=job_id).update(status=Job.Status.QUEUED, error=note, finished_at=None, enqueued_at=due)
    transaction.on_commit(lambda: _send_later(job_id, celery_task, delay))
    return delay


def _send_later(job_id: int, celery_task, delay: int) -> None:
    """Send the retry with its countdown; noted on the row so the reaper knows it is not lost. The
    broker down: the row is left for the reaper to send (at once, without the countdown)."""
    try:
        sent = celery_task.apply_async((job_id,), countdown=delay)
    except Exception:  # noqa: BLE001 - the reaper sends it
        Job.objects.filter(pk=job_id).update(enqueued_at=None, message_id="")
        return
    Job.objects.filter(pk=job_id).update(message_id=sent.id)


def schedule_next_runs(schedule: ExportSchedule) -> str | None:
    """When beat will run it next (for the API), or None when disabled."""
    task = schedule.periodic_task
    if task is None or not task.enabled:
        return None
    now = timezone.now()
    remaining = task.schedule.remaining_estimate(task.last_run_at or now)
    return (now + max(remaining, timedelta(0))).isoformat()
