"""Plain helpers that make rows for tests (no factory library needed)."""

from __future__ import annotations

import itertools

from django.contrib.auth import get_user_model

_seq = itertools.count(1)

TEXT_CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text">
    <Choice value="Positive"/>
    <Choice value="Negative"/>
    <Choice value="Neutral"/>
  </Choices>
</View>"""


PASSWORD = "pass12345"


def make_user(prefix: str = "user", *, org_role: str = "manager", organization=None, **extra):
    """A user in ``organization`` (default: the first one, made if needed) with ``org_role``.
    The default role (manager) may create projects but sees only the projects it is a member
    of, as every existing test expects; role tests pass the role they test."""
    from labelstudio.core.models import OrganizationMember
    from labelstudio.core.orgs import default_organization

    n = next(_seq)
    user = get_user_model().objects.create_user(
        username=f"{prefix}{n}", email=f"{prefix}{n}@example.com", password=PASSWORD, **extra
    )
    OrganizationMember.objects.create(user=user, organization=organization or default_organization(), role=org_role)
    return user


def make_organization(title: str | None = None):
    from labelstudio.core.models import Organization

    return Organization.objects.create(title=title or f"Org {next(_seq)}")


def make_project(*, created_by, label_config: str = TEXT_CONFIG, **extra):
    from projects.services import project_create

    return project_create(
        created_by=created_by, title=extra.pop("title", f"Project {next(_seq)}"), label_config=label_config, **extra
    )


def make_task(project, data: dict | None = None, **extra):
    from tasks.models import Task

    return Task.objects.create(project=project, data=data or {"text": f"text {next(_seq)}"}, **extra)
