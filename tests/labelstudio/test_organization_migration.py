"""The data migration that brings an existing installation into organizations: on a SQLite
database migrated to the state before organizations, with users and a project in it, the full
migration makes one default organization, puts every user and project in it, and gives
superusers the owner role, project creators the manager role and everyone else annotator."""

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
from django.contrib.auth.hashers import make_password
with connection.cursor() as c:
    for name, su in (('root', 1), ('creator', 0), ('worker', 0)):
        c.execute(
            "INSERT INTO auth_user (username, password, is_superuser, is_staff, is_active, first_name, last_name, email, date_joined)"
            " VALUES (%s, %s, %s, 0, 1, '', '', %s, '2024-01-01')", [name, make_password('x'), su, name + '@example.com'])
    c.execute("SELECT id FROM auth_user WHERE username = 'creator'")
    creator = c.fetchone()[0]
    c.execute("PRAGMA table_info(projects_project)")
    cols = {row[1]: row for row in c.fetchall()}
    assert 'organization_id' not in cols
    values = {n: '' for n, row in cols.items() if row[3] and row[4] is None and n != 'id'}
    values.update(title='Old project', label_config='<View></View>', parsed_label_config='{}', created_by_id=creator,
                  created_at='2024-01-01', updated_at='2024-01-01', maximum_annotations=1, task_lock_ttl=600,
                  show_instruction=0, show_skip_button=1, annotators_see_all=0)
    values = {k: v for k, v in values.items() if k in cols}
    c.execute(f"INSERT INTO projects_project ({', '.join(values)}) VALUES ({', '.join(['%s'] * len(values))})", list(values.values()))
"""

CHECK = """
import django, json, os
os.environ['DJANGO_SETTINGS_MODULE'] = 'labelstudio.settings'
django.setup()
from labelstudio.core.models import Organization, OrganizationMember
from projects.models import Project
print(json.dumps({
    'orgs': list(Organization.objects.values_list('title', flat=True)),
    'members': sorted(OrganizationMember.objects.values_list('user__username', 'role')),
    'projects': list(Project.objects.values_list('title', 'organization__title')),
}))
"""


def _run(args: list[str], env: dict) -> str:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout


def test_existing_users_and_projects_join_a_default_organization(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(LABELSTUDIO_DATA_DIR=str(tmp_path), DEFAULT_ORGANIZATION_TITLE="Team")
    manage = [sys.executable, "manage.py"]
    _run([*manage, "migrate", "-v0", "auth"], env)
    _run([*manage, "migrate", "-v0", "projects", "0001_initial"], env)
    _run([sys.executable, "-c", SEED], env)
    _run([*manage, "migrate", "-v0"], env)
    state = json.loads(_run([sys.executable, "-c", CHECK], env).strip().splitlines()[-1])
    assert state == {
        "orgs": ["Team"],
        "members": [["creator", "manager"], ["root", "owner"], ["worker", "annotator"]],
        "projects": [["Old project", "Team"]],
    }
