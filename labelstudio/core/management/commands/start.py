"""``manage.py start [PROJECT] [--init] [--label-config FILE] [--input-path FILE]``

Prepares the database and an admin login, optionally creates a project with a config and
imports a data file, then serves the platform with gunicorn and runs a Celery worker (with an
embedded beat for export schedules) beside it until interrupted. Flags: docs/start.md.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
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
        parser.add_argument(
            "--web-workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", 0)),
            help="gunicorn processes (default: 1 on SQLite, 2 otherwise; env WEB_CONCURRENCY)",
        )
        parser.add_argument("--worker-concurrency", type=int, default=0, help="jobs at once (default: cores, max 2)")
        parser.add_argument(
            "--worker-pool",
            choices=("prefork", "threads", "solo"),
            help="Celery pool (default: threads on SQLite, with beat as a thread; prefork otherwise)",
        )
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
        # layering exception (pyproject.toml): `start` creates the demo project; imported only then
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
            from tasks.importers.services import import_from_path

            job = import_from_path(project=project, created_by=user, path=Path(opts["input_path"]))
            if job.status != job.Status.SUCCEEDED:
                raise CommandError(f"import failed: {job.error} {job.errors[:5]}")
            self.stdout.write(f"Imported {job.result.get('task_count', 0)} tasks into '{project.title}'")

    def _serve(self, opts, url: str) -> None:
        """Replace this process with labelstudio/core/supervise.py, which runs gunicorn and the
        worker until interrupted: the loaded Django of this command would idle at ~110 MB."""
        python = sys.executable
        bin_dir = Path(python).parent
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "labelstudio.settings",
            "LABELSTUDIO_DATA_DIR": str(settings.DATA_DIR),
        }
        gunicorn = [
            str(bin_dir / "gunicorn"),
            "labelstudio.wsgi:application",
            "--bind",
            f"{opts['host']}:{opts['port']}",
            "--workers",
            str(opts["web_workers"] or default_web_workers()),
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
        ]
        commands = [{"argv": gunicorn, "cwd": str(settings.BASE_DIR), "env": env}]
        if not opts["no_worker"]:
            pool = opts["worker_pool"] or default_worker_pool()
            worker = [str(bin_dir / "celery"), "-A", "labelstudio", "worker", "--loglevel", "INFO"]
            worker += ["--pool", pool, "--concurrency", str(opts["worker_concurrency"] or default_concurrency())]
            schedule = str(Path(settings.DATA_DIR) / "celerybeat-schedule")
            if pool == "prefork":  # beat in its own process (Celery's --beat)
                worker += ["--beat", "--schedule", schedule]
                worker_env = env
            else:  # beat as a thread of the worker (labelstudio/celery.py ThreadedBeat)
                worker_env = {**env, "LABELSTUDIO_BEAT_THREAD": "1", "LABELSTUDIO_BEAT_SCHEDULE": schedule}
            commands.append({"argv": worker, "cwd": str(settings.BASE_DIR), "env": worker_env})
        self.stdout.flush()
        sys.stdout.flush()
        sys.stderr.flush()
        script = str(Path(__file__).resolve().parents[2] / "supervise.py")
        os.execv(python, [python, "-I", script, url + "health", json.dumps(commands)])  # noqa: S606 - our script


def _sqlite() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


def default_web_workers() -> int:
    """One gunicorn process (4 threads) on SQLite, whose writes are serialized anyway; two otherwise."""
    return 1 if _sqlite() else 2


def default_worker_pool() -> str:
    """Threads on SQLite (one process, beat inside it); processes beside PostgreSQL."""
    return "threads" if _sqlite() else "prefork"


def default_concurrency() -> int:
    """Jobs run at once: the machine's cores, at most 2 (imports and exports are few and large)."""
    return max(1, min(2, os.cpu_count() or 1))
