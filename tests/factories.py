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


def make_user(prefix: str = "user", **extra):
    n = next(_seq)
    return get_user_model().objects.create_user(
        username=f"{prefix}{n}", email=f"{prefix}{n}@example.com", password="pass12345", **extra
    )


def make_project(*, created_by, label_config: str = TEXT_CONFIG, **extra):
    from projects.services import project_create

    return project_create(
        created_by=created_by, title=extra.pop("title", f"Project {next(_seq)}"), label_config=label_config, **extra
    )


def make_task(project, data: dict | None = None, **extra):
    from tasks.models import Task

    return Task.objects.create(project=project, data=data or {"text": f"text {next(_seq)}"}, **extra)
