"""``manage.py start [PROJECT] [--init] [--label-config FILE] [--input-path FILE]``

Prepares the database and an admin login, optionally creates a project with a config and
imports a data file, then serves the platform with gunicorn and runs a Celery worker (with an
embedded beat for export schedules) beside it until interrupted. Flags: docs/start.md.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Start labelstudio: migrate, ensure an admin, optionally init a project, serve with gunicorn + worker."

    def add_arguments(self, parser):
        parser.add_argument("project_name", nargs="?", help="project title to open or create")
        parser.add_argument("--init", action="store_true", help="create the project if it does not exist")
        parser.add_argument("--label-config", help="XML labeling config file for the project")
        parser.add_argument("--input-path", help="task file to import into the project (JSON, CSV, TSV, TXT...)")
        parser.add_argument("--host", default=os.environ.get("LABELSTUDIO_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("LABELSTUDIO_PORT", 8080)))
        parser.add_argument("--username", default=os.environ.get("LABELSTUDIO_USERNAME", "admin"))
        parser.add_argument("--password", default=os.environ.get("LABELSTUDIO_PASSWORD"))
        parser.add_argument("--web-workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2)))
        parser.add_argument("--worker-concurrency", type=int, default=2)
        parser.add_argument("--no-worker", action="store_true", help="do not run a Celery worker here")
        parser.add_argument("--no-serve", action="store_true", help="prepare and exit without serving")

    def handle(self, *args, **opts):
        call_command("migrate", interactive=False, verbosity=0)
        user, password = self._ensure_admin(opts["username"], opts["password"])
        if opts["project_name"]:
            self._init_project(user, opts)
        url = f"http://{opts['host']}:{opts['port']}/"
        self.stdout.write(self.style.SUCCESS(f"labelstudio data dir: {settings.DATA_DIR}"))
        self.stdout.write(self.style.SUCCESS(f"Log in at {url} as '{user.username}' with password '{password}'"))
        self.stdout.write(f"API token: {Token.objects.get(user=user).key}")
        if opts["no_serve"]:
            return
        self._serve(opts, url)

    def _ensure_admin(self, username: str, password: str | None):
        password_file = Path(settings.DATA_DIR) / "admin_password"
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if password is None:
            password = password_file.read_text().strip() if password_file.exists() else secrets.token_urlsafe(9)
        if user is None:
            user = User.objects.create_superuser(username=username, email=f"{username}@localhost", password=password)
        elif not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        password_file.write_text(password)
        password_file.chmod(0o600)
        Token.objects.get_or_create(user=user)
        from labelstudio.core.orgs import member_of

        member_of(user)  # first start: the default organization, with the admin as its owner
        return user, password

    def _init_project(self, user, opts) -> None:
        from projects.models import Project
        from projects.services import project_create, project_update

        config = Path(opts["label_config"]).read_text() if opts["label_config"] else None
        project = Project.objects.filter(title=opts["project_name"]).order_by("id").first()
        if project is None:
            if not opts["init"]:
                raise CommandError(f"no project '{opts['project_name']}': add --init to create it")
            project = project_create(
                created_by=user,
                title=opts["project_name"],
                label_config=config or '<View><Text name="text" value="$text"/></View>',
            )
            self.stdout.write(f"Created project '{project.title}' (id {project.pk})")
        elif config is not None:
            project_update(project=project, label_config=config)
        if opts["input_path"]:
            # cross-app import (a listed exception in pyproject.toml): the demo project's import; `start` runs above the apps
            from tasks.importers.service import import_from_path

            job = import_from_path(project=project, created_by=user, path=Path(opts["input_path"]))
            if job.status != job.Status.SUCCEEDED:
                raise CommandError(f"import failed: {job.error} {job.errors[:5]}")
            self.stdout.write(f"Imported {job.result.get('task_count', 0)} tasks into '{project.title}'")

    def _serve(self, opts, url: str) -> None:
        python = sys.executable
        bin_dir = Path(python).parent
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "labelstudio.settings",
            "LABELSTUDIO_DATA_DIR": str(settings.DATA_DIR),
        }
        procs = [
            subprocess.Popen(
                [
                    str(bin_dir / "gunicorn"),
                    "labelstudio.wsgi:application",
                    "--bind",
                    f"{opts['host']}:{opts['port']}",
                    "--workers",
                    str(opts["web_workers"]),
                    "--threads",
                    "4",
                    "--timeout",
                    "120",
                    "--graceful-timeout",
                    "10",
                    "--access-logfile",
                    "-",
                    "--log-level",
                    "warning",
                ],
                cwd=settings.BASE_DIR,
                env=env,
            )
        ]
        if not opts["no_worker"]:
            procs.append(
                subprocess.Popen(
                    [
                        str(bin_dir / "celery"),
                        "-A",
                        "labelstudio",
                        "worker",
                        "--beat",
                        "--loglevel",
                        "INFO",
                        "--concurrency",
                        str(opts["worker_concurrency"]),
                        "--schedule",
                        str(Path(settings.DATA_DIR) / "celerybeat-schedule"),
                    ],
                    cwd=settings.BASE_DIR,
                    env=env,
                )
            )
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        self._wait_until_up(url + "health", procs)
        self.stdout.write(self.style.SUCCESS(f"labelstudio is up at {url}"))
        while not stopping and all(p.poll() is None for p in procs):
            time.sleep(0.5)
        for p in procs:
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        if not stopping:
            raise CommandError("a server process exited; see its output above")

    def _wait_until_up(self, health_url: str, procs) -> None:
        for _ in range(240):
            if any(p.poll() is not None for p in procs):
                return
            try:
                with urllib.request.urlopen(health_url, timeout=2):  # noqa: S310 - our own loopback URL
                    return
            except OSError:
                time.sleep(0.25)
