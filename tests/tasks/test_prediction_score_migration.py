"""Migration tasks.0008 on a database that already has tasks and predictions: the backfill sets
each task's prediction_score to the average of its scored predictions (NULL without one), and the
index is built after it. A scratch database next to the test one when the tests run on
PostgreSQL, a scratch file on SQLite."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

SEED = """
import django, os
os.environ['DJANGO_SETTINGS_MODULE'] = 'labelstudio.settings'
django.setup()
from django.db.migrations.executor import MigrationExecutor
from django.db import connection
state = MigrationExecutor(connection).loader.project_state([("tasks", "0007_task_search_side_index"),
                                                            ("ml_backends", "0002_initial")])
User = state.apps.get_model("auth", "User")
Project = state.apps.get_model("projects", "Project")
Organization = state.apps.get_model("core", "Organization")
Task = state.apps.get_model("tasks", "Task")
Prediction = state.apps.get_model("ml_backends", "Prediction")
user = User.objects.create(username="manager")
org = Organization.objects.create(title="o")
project = Project.objects.create(title="p", label_config="<View></View>", created_by_id=user.pk, organization_id=org.pk)
tasks = [Task.objects.create(project_id=project.pk, data={"text": str(i)}) for i in range(4)]
for task, scores in zip(tasks, [[0.2, 0.4], [None], [], [1, None, 0.5]]):
    for s in scores:
        Prediction.objects.create(task_id=task.pk, project_id=project.pk, score=s, result=[])
"""

CHECK = """
import django, json, os
os.environ['DJANGO_SETTINGS_MODULE'] = 'labelstudio.settings'
django.setup()
from tasks.models import Task
print(json.dumps([Task.objects.get(data__text=str(i)).prediction_score for i in range(4)]))
"""


def _run(args: list[str], env: dict) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture
def scratch_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(LABELSTUDIO_DATA_DIR=str(tmp_path))
    if connection.vendor != "postgresql":
        env.pop("DATABASE_URL", None)
        yield env
        return
    name = f"{connection.settings_dict['NAME']}_mig"[:63]
    admin = {k: v for k, v in connection.settings_dict.items() if k in ("HOST", "PORT", "USER", "PASSWORD") and v}
    params = {"host": admin.get("HOST"), "port": admin.get("PORT"), "user": admin.get("USER")}
    with psycopg.connect(dbname="postgres", autocommit=True, **{k: v for k, v in params.items() if v}) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}"')
        c.execute(f'CREATE DATABASE "{name}"')
    user, host, port = params["user"] or "postgres", params["host"] or "127.0.0.1", params["port"] or 5432
    env["DATABASE_URL"] = f"postgres://{user}@{host}:{port}/{name}"
    yield env
    with psycopg.connect(dbname="postgres", autocommit=True, **{k: v for k, v in params.items() if v}) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db
def test_backfill_on_a_database_with_predictions(scratch_env):
    manage = [sys.executable, "manage.py"]
    _run([*manage, "migrate", "tasks", "0007_task_search_side_index", "-v0"], scratch_env)
    _run([*manage, "migrate", "ml_backends", "0002_initial", "-v0"], scratch_env)
    _run([sys.executable, "-c", SEED], scratch_env)
    _run([*manage, "migrate", "-v0"], scratch_env)
    got = json.loads(_run([sys.executable, "-c", CHECK], scratch_env).strip().splitlines()[-1])
    assert got == [pytest.approx(0.3), None, None, pytest.approx(0.75)]
