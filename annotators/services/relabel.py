"""Label Studio's bulk relabel (``POST /api/labels/bulk``, labels_manager.functions): every result
item whose ``value[type]`` equals ``old_label`` gets ``new_label``, in one project or in all the
organization's projects. All or nothing, and unlike Label Studio each changed result is checked
against its project's config (a rename to a label the config does not allow is a 400)."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from labelstudio.core import orgs
from labelstudio.core.exceptions import ApplicationError, Forbidden
from projects.access import MANAGERS, project_for
from projects.models import Project

from ..models import Completion
from .completions import lock_project_shared
from .config_checks import check_result


def _relabeled(result: object, old_label: object, new_label: object) -> tuple[list[Any], int]:
    """A copy of ``result`` with the label replaced, and how many items changed."""
    changed = 0
    out = copy.deepcopy(result) if isinstance(result, list) else []
    for item in out:
        kind = item.get("type") if isinstance(item, dict) else None
        if isinstance(kind, str) and isinstance(item.get("value"), dict) and item["value"].get(kind) == old_label:
            item["value"][kind] = copy.deepcopy(new_label)
            changed += 1
    return out, changed


@transaction.atomic
def labels_bulk_update(*, user: User, old_label: object, new_label: object, project_id: int | None = None) -> int:
    """Replace ``old_label`` by ``new_label`` in completions; returns the number of result items
    changed (Label Studio's ``annotations_updated``). Managers of the project; without a project,
    the organization's owners and administrators (every project of it)."""
    if project_id is not None:
        projects = [project_for(user, project_id, roles=MANAGERS)]
    elif orgs.is_org_admin(user) and (org_id := orgs.org_id_of(user)) is not None:
        projects = list(Project.objects.filter(organization_id=org_id))
    else:
        raise Forbidden("only the organization's owners and administrators may relabel every project; name one")
    total = 0
    for project in projects:
        lock_project_shared(project.pk)  # a config change waits: the checks below stay true
        project.refresh_from_db(fields=["label_config", "label_config_version", "parsed_label_config"])
        needle = Completion.objects.filter(project=project).select_related("task").order_by("id")
        for completion in needle.iterator(chunk_size=500):
            result, changed = _relabeled(completion.result, old_label, new_label)
            if not changed:
                continue
            try:
                check_result(project, completion.task, result)
            except ApplicationError as exc:
                raise ApplicationError(f"completion {completion.pk}: {exc}", field="new_label") from exc
            Completion.objects.filter(pk=completion.pk).update(
                result=result, version=F("version") + 1, updated_at=timezone.now()
            )
            total += changed
    return total
