"""``manage.py import_tasks PROJECT_ID FILE... [--skip-bad-rows] [--preannotated-from-fields a,b]``

Imports task files, archives, media files or directories into a project with a progress bar.
By default the import runs here (no worker needed); ``--worker`` hands it to the Celery worker
and follows its progress. Either way it is the same import job as the API's.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from labelstudio.core.exceptions import ApplicationError
from labelstudio.core.jobs import job_progress, job_run
from labelstudio.core.models import Job
from projects.models import Project
from tasks.importers.progress import listen, live_stats
from tasks.importers.services import import_job_create, import_job_for_paths, import_run


class Command(BaseCommand):
    help = "Import task files (JSON, JSON lines, CSV, TSV, TXT, archives, media) into a project."

    def add_arguments(self, parser):
        parser.add_argument("project_id", type=int)
        parser.add_argument("files", nargs="+")
        parser.add_argument("--user", help="username that imports (default: the project's creator)")
        parser.add_argument("--skip-bad-rows", action="store_true", help="import the good rows, report the rest")
        parser.add_argument("--preannotated-from-fields", default="", help="columns holding predictions")
        parser.add_argument("--model-version", default="", help="model_version of imported predictions")
        parser.add_argument("--worker", action="store_true", help="run the import on the Celery worker")

    def handle(self, *args, **opts):
        project = Project.objects.filter(pk=opts["project_id"]).first()
        if project is None:
            raise CommandError(f"no project with id {opts['project_id']}")
        user = self._user(opts["user"], project)
        options = {
            "commit_mode": "skip_bad_rows" if opts["skip_bad_rows"] else "all_or_nothing",
            "preannotated_from_fields": opts["preannotated_from_fields"],
            "model_version": opts["model_version"],
        }
        try:
            if opts["worker"]:
                job = import_job_create(
                    project=project, created_by=user, files=[Path(f) for f in opts["files"]], options=options
                )
            else:
                job = import_job_for_paths(project=project, created_by=user, paths=opts["files"], options=options)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        with tqdm(
            total=job.progress_total or None, unit="B", unit_scale=True, desc=f"import {job.pk}", file=self.stderr._out
        ) as bar:
            if opts["worker"]:
                job = self._follow(job, bar)
            else:
                with listen(job.pk, lambda stats, done, total: _show(bar, stats, done, total)):
                    job_run(job.pk, import_run)
                job.refresh_from_db()
                _show(bar, live_stats(job.pk) or {}, job.progress_done, job.progress_total)
        self._report(job)

    def _user(self, username, project):
        User = get_user_model()
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"no user '{username}'")
            return user
        user = project.created_by or User.objects.filter(is_superuser=True).order_by("pk").first()
        if user is None:
            raise CommandError("give --user: the project has no creator and there is no superuser")
        return user

    @staticmethod
    def _follow(job: Job, bar) -> Job:
        while True:
            job.refresh_from_db()
            done, total = job_progress(job)
            _show(bar, live_stats(job.pk) or {}, done, total)
            if job.is_finished:
                return job
            time.sleep(0.2)

    def _report(self, job: Job) -> None:
        if job.status != Job.Status.SUCCEEDED:
            for error in job.errors[:20]:
                self.stderr.write(f"  {_where(error)}: {error.get('message')}")
            raise CommandError(f"import {job.status}: {job.error}")
        r = job.result
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {r.get('task_count', 0)} tasks, {r.get('annotation_count', 0)} annotations, "
                f"{r.get('prediction_count', 0)} predictions from {r.get('rows_read', 0)} rows "
                f"in {r.get('duration')} s"
            )
        )
        if r.get("error_count"):
            self.stdout.write(self.style.WARNING(f"{r['error_count']} rows skipped:"))
            for error in job.errors[:20]:
                self.stdout.write(f"  {_where(error)}: {error.get('message')}")


def _show(bar, stats: dict, done: int, total: int) -> None:
    if total:
        bar.total = total
    bar.n = min(done, bar.total or done)
    bar.set_postfix(
        rows=f"{stats.get('rows_read', 0):,}",
        tasks=f"{stats.get('tasks_created', 0):,}",
        errors=f"{stats.get('error_count', 0):,}",
        refresh=False,
    )
    bar.refresh()


def _where(error: dict) -> str:
    parts = [error.get("file") or ""]
    if error.get("line") is not None:
        parts.append(f"line {error['line']}")
    elif error.get("row") is not None:
        parts.append(f"row {error['row']}")
    if error.get("key"):
        parts.append(error["key"])
    return ", ".join(parts)
