"""The Webhook model moved from ml_backends to labelstudio.webhooks with its rows: on a SQLite
database migrated to the state before the move, with a webhook in it, the full migration keeps
the row (fields, id, project) in the renamed table, new rows continue its ids, and the admin's
content type (so existing permissions on webhooks) follows the model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SEED = """
import django, os
os.environ['DJANGO_SETTINGS_MODULE'] = 'labelstudio.settings'
django.setup()
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
loader = MigrationExecutor(connection).loader
nodes = [("ml_backends", "0002_initial"), *loader.graph.leaf_nodes("auth"), *loader.graph.leaf_nodes("contenttypes")]
state = loader.project_state(nodes)
User = state.apps.get_model("auth", "User")
Project = state.apps.get_model("projects", "Project")
Webhook = state.apps.get_model("ml_backends", "Webhook")
user = User.objects.create(username="manager")
project = Project.objects.create(title="Old project", label_config="<View></View>", created_by_id=user.pk)
Webhook.objects.create(project_id=project.pk, url="http://hooks.example/h", events=["TASKS_CREATED"],
                       headers={"X-Secret": "s"}, send_payload=False, last_status="ok")
ContentType = state.apps.get_model("contenttypes", "ContentType")
ct, _ = ContentType.objects.get_or_create(app_label="ml_backends", model="webhook")
Permission = state.apps.get_model("auth", "Permission")
perm, _ = Permission.objects.get_or_create(content_type=ct, codename="change_webhook", defaults={"name": "Can change webhook"})
user.user_permissions.add(perm)
"""

CHECK = """
import django, json, os
os.environ['DJANGO_SETTINGS_MODULE'] = 'labelstudio.settings'
django.setup()
from django.contrib.auth.models import User
from labelstudio.webhooks.models import Webhook
hook = Webhook.objects.get()
new = Webhook.objects.create(project=hook.project, url="http://hooks.example/2")
print(json.dumps({
    "table": Webhook._meta.db_table,
    "row": [hook.pk, hook.project.title, hook.url, hook.events, hook.headers, hook.send_payload, hook.last_status],
    "new_id": new.pk,
    "perm": User.objects.get(username="manager").has_perm("webhooks.change_webhook"),
}))
"""


def _run(args: list[str], env: dict) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_webhooks_keep_their_rows_when_the_model_moves_app(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(LABELSTUDIO_DATA_DIR=str(tmp_path))
    manage = [sys.executable, "manage.py"]
    _run([*manage, "migrate", "ml_backends", "0002_initial", "-v0"], env)
    _run([*manage, "migrate", "auth", "-v0"], env)
    _run([sys.executable, "-c", SEED], env)
    _run([*manage, "migrate", "-v0"], env)
    got = json.loads(_run([sys.executable, "-c", CHECK], env).strip().splitlines()[-1])
    assert got["table"] == "webhooks_webhook"
    assert got["row"] == [1, "Old project", "http://hooks.example/h", ["TASKS_CREATED"], {"X-Secret": "s"}, False, "ok"]
    assert got["new_id"] == 2 and got["perm"] is True
