"""Writes for projects: create, change the config (refused when it would orphan completions),
membership."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q

from labelstudio.core import events, orgs
from labelstudio.core.exceptions import ApplicationError, ConflictError, Forbidden, NotFound
from labelstudio.core.models import Organization

from . import label_config as lc
from .models import Label, LabelLink, Membership, Project

EDITABLE_FIELDS = (  # what users may set; the API serializer lists the same, in this order
    "title",
    "description",
    "expert_instruction",
    "show_instruction",
    "show_skip_button",
    "maximum_annotations",
    "sampling",
    "skip_queue",
    "annotators_see_all",
    "task_lock_ttl",
    "model_version",
    "color",
    "enable_empty_annotation",
    "is_published",
    "max_regions_per_result",
)


def config_parse_or_raise(label_config: str) -> lc.LabelConfig:
    """Parse and validate a config; a broken one becomes a 400 naming the tag and line."""
    try:
        return lc.parse(label_config)
    except lc.LabelConfigError as exc:
        raise ApplicationError(
            str(exc), field="label_config", tag=exc.tag, line=exc.line, attribute=exc.attribute
        ) from exc


@transaction.atomic
def project_create(
    *,
    created_by: User | None,
    title: str,
    label_config: str,
    organization: Organization | None = None,
    **fields: Any,
) -> Project:
    """A project in ``organization`` (default: its creator's). Who may call this is checked by
    the API and pages (``labelstudio.core.orgs.can_create_projects``)."""

    config = config_parse_or_raise(label_config)
    if organization is None:
        member = orgs.member_of(created_by) if created_by else None  # a user always has one
        organization = member.organization if member else orgs.default_organization()
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError(f"unknown project fields: {', '.join(sorted(unknown))}")
    project = Project(
        title=title,
        label_config=label_config,
        parsed_label_config=config.to_json(),
        created_by=created_by,
        organization=organization,
        **fields,
    )
    project.full_clean()
    project.save()
    if created_by is not None:
        Membership.objects.create(project=project, user=created_by, role=Membership.Role.MANAGER)
    events.emit(events.PROJECT_CREATED, project=project)
    return project


def config_usage(project: Project) -> lc.Usage:
    """Which controls and labels existing completions use (streamed; config changes are rare)."""
    results = project.completions.values_list("result", flat=True).iterator(chunk_size=2000)
    return lc.usage_from_results(results)


def config_check_change(project: Project, label_config: str) -> lc.LabelConfig:
    """Validate a new config for an existing project against the completions it already has."""
    config = config_parse_or_raise(label_config)
    if project.pk and project.completions.exists():
        usage = config_usage(project)
        usage["saved"] = _saved_steps(project)
        try:
            lc.check_config_change(config, usage)
        except lc.LabelConfigError as exc:
            raise ApplicationError(str(exc), field="label_config", tag=exc.tag, line=exc.line) from exc
    return config


@transaction.atomic
def project_update(*, project: Project, label_config_version: int | None = None, **fields: Any) -> Project:
    """Change settings and/or the labeling config. A config change runs under the project row's
    lock (SELECT ... FOR UPDATE), which every completion write also takes (shared) before it
    checks its result against the config: the orphan check sees every completion, and no
    completion saved after it can use what the new config removes. ``label_config_version``,
    when the client sends it, must be the current one (409 otherwise: someone else changed the
    config since the client loaded it); clients that send none save last-write-wins."""
    label_config = fields.pop("label_config", None)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError(f"unknown project fields: {', '.join(sorted(unknown))}")
    if label_config is not None or label_config_version is not None:
        current = _lock_project(project)
        if label_config_version is not None and label_config_version != current:
            raise ConflictError(
                f"the labeling config was changed by someone else (your version {label_config_version}, "
                f"current version {current}); reload it and apply your change again",
                field="label_config_version",
                version=current,
                your_version=label_config_version,
            )
        project.label_config, project.label_config_version = Project.objects.values_list(
            "label_config", "label_config_version"
        ).get(pk=project.pk)
    if label_config is not None and label_config != project.label_config:
        config = config_check_change(project, label_config)
        project.label_config = label_config
        project.parsed_label_config = config.to_json()
        project.label_config_version += 1
    overlap_changed = fields.get("maximum_annotations", project.maximum_annotations) != project.maximum_annotations
    for name, value in fields.items():
        setattr(project, name, value)
    project.full_clean()
    project.save()
    if overlap_changed:  # is_labeled depends on the overlap
        # cross-app import (a listed exception in pyproject.toml): is_labeled depends on the overlap: recount in this transaction
        from tasks.services import project_counters_refresh

        project_counters_refresh(project)
    events.emit(events.PROJECT_UPDATED, project=project)
    return project


@transaction.atomic
def project_delete(*, project: Project) -> None:
    """Delete a project with everything in it; PROJECT_DELETED is emitted first (its subscribers
    run on commit, with the project object as it was)."""
    events.emit(events.PROJECT_DELETED, project=project)
    project.delete()


def result_size_check(project: Project, result: object, field: str = "result") -> None:
    """A result may hold at most ``project.max_regions_per_result`` items (400 naming the field)."""
    limit = project.max_regions_per_result or settings.MAX_REGIONS_PER_RESULT
    if isinstance(result, list) and len(result) > limit:
        raise ApplicationError(
            f"{field} has {len(result)} regions; this project allows at most {limit} per result "
            "(project setting max_regions_per_result)",
            field=field,
            limit=limit,
        )


def _lock_project(project: Project) -> int:
    """Serialise membership and config changes of one project (SELECT ... FOR UPDATE); returns
    the current config version."""
    return (
        Project.objects.select_for_update().filter(pk=project.pk).values_list("label_config_version", flat=True).get()
    )


def _last_manager(project: Project, user: User) -> bool:
    managers = project.memberships.filter(role=Membership.Role.MANAGER)
    return managers.filter(user=user).exists() and not managers.exclude(user=user).exists()


@transaction.atomic
def membership_set(*, project: Project, user: User, role: str) -> Membership:
    if role not in Membership.Role.values:
        raise ApplicationError(f"role must be one of {', '.join(Membership.Role.values)}", field="role")
    if orgs.org_id_of(user) != project.organization_id:
        raise ApplicationError("this user is not in the project's organization", field="user")
    if not user.is_active:
        raise ApplicationError("this user is deactivated", field="user")
    _lock_project(project)
    if role != Membership.Role.MANAGER and _last_manager(project, user):
        raise ApplicationError(
            f"{user.username} is the project's last manager; make someone else a manager first", field="role"
        )
    membership, _ = Membership.objects.update_or_create(project=project, user=user, defaults={"role": role})
    return membership


@transaction.atomic
def membership_remove(*, project: Project, user: User) -> None:
    _lock_project(project)
    if _last_manager(project, user):
        raise ApplicationError(
            f"{user.username} is the project's last manager; make someone else a manager first", field="user"
        )
    project.memberships.filter(user=user).delete()


@transaction.atomic
def membership_bulk_add(*, project: Project, names: list[str], role: str) -> list[Membership]:
    """Add several people of the project's organization (by username or e-mail) with one role;
    all or nothing, and the error names every name not found."""
    from .selectors import org_users_of

    names = [n.strip() for n in names if n.strip()]
    if not names:
        raise ApplicationError("give at least one username or e-mail", field="username")
    users: list[User] = []
    missing: list[str] = []
    for name in names:
        user = org_users_of(project).filter(Q(username=name) | Q(email__iexact=name)).order_by("id").first()
        (users.append(user) if user else missing.append(name))
    if missing:
        raise ApplicationError(f"no user in this organization called: {', '.join(missing)}", field="username")
    return [membership_set(project=project, user=user, role=role) for user in users]


# ---------- saved labels (user-added Taxonomy items, Label Studio's /api/labels) ----------


def _saved_steps(project: Project) -> dict[str, list[str]]:
    """Every step of the project's saved label paths, by control: present for the config check,
    as Label Studio counts them (a result using a saved item is not orphaned by a config change)."""
    from .selectors import saved_label_paths

    return {
        name: [step for path in paths if isinstance(path, list) for step in path if isinstance(step, str)]
        for name, paths in saved_label_paths(project).items()
    }


def _label_path(value: object, field: str) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(s, str) and s.strip() for s in value):
        raise ApplicationError("expected a path: a non-empty list of non-empty strings", field=field)
    return value


@transaction.atomic
def labels_add(*, user: User, items: list[dict[str, Any]]) -> list[Label]:
    """Save user-added items for a project (any member may): reuse the organization's label of
    the same title, and link it to the project under ``from_name``. Each returned label carries
    ``project`` and ``from_name`` for the answer, as Label Studio's does."""
    from .access import project_for

    if not items:
        raise ApplicationError("expected a list of labels")
    if len({str(item.get("project")) for item in items}) > 1:
        raise ApplicationError("creating labels for different projects in one request is not allowed", field="project")
    project = project_for(user, items[0].get("project"))
    controls = config_parse_or_raise(project.label_config).controls
    out = []
    for i, item in enumerate(items):
        from_name = item.get("from_name")
        if not isinstance(from_name, str) or from_name not in controls:
            raise ApplicationError(f"{from_name!r} is not a control of this project", field=f"[{i}].from_name")
        value = _label_path(item.get("value"), f"[{i}].value")
        title = item.get("title") or f"{from_name}:{json.dumps(value)}"
        label, _ = Label.objects.get_or_create(
            organization_id=project.organization_id,
            title=str(title)[:2048],
            defaults={"value": value, "created_by": user, "description": item.get("description")},
        )
        LabelLink.objects.get_or_create(project=project, label=label, defaults={"from_name": from_name})
        label.project, label.from_name = project.pk, from_name  # type: ignore[attr-defined]
        out.append(label)
    return out


def label_manage_check(user: User, label: Label) -> None:
    """Changing a saved label changes it in every project it is linked to: the organization's
    owners and administrators may, or who manages every one of those projects."""

    from .access import MANAGERS, role_check

    if user.is_superuser or (orgs.is_org_admin(user) and orgs.org_id_of(user) == label.organization_id):
        return
    project_ids = list(label.links.values_list("project_id", flat=True))
    if not project_ids and label.created_by_id != user.pk:
        raise Forbidden("only the organization's administrators may change this label")
    for project_id in project_ids:
        role_check(user, project_id, MANAGERS)


def label_update(*, user: User, label: Label, **fields: Any) -> Label:
    label_manage_check(user, label)
    if "value" in fields:
        fields["value"] = _label_path(fields["value"], "value")
    if "approved" in fields:
        label.approved_by = user if fields["approved"] else None
    for name, value in fields.items():
        setattr(label, name, value)
    label.save()
    return label


def label_delete(*, user: User, label: Label) -> None:
    label_manage_check(user, label)
    label.delete()


def label_link_add(*, user: User, project_id: int, label: Label, from_name: str) -> LabelLink:
    """Offer a saved label of the organization in a project (managers)."""
    from .access import MANAGERS, project_for

    project = project_for(user, project_id, roles=MANAGERS)
    if label.organization_id != project.organization_id:
        raise NotFound("no such label")
    if from_name not in config_parse_or_raise(project.label_config).controls:
        raise ApplicationError(f"{from_name!r} is not a control of this project", field="from_name")
    link, _ = LabelLink.objects.get_or_create(project=project, label=label, defaults={"from_name": from_name})
    return link


def label_link_update(*, user: User, link: LabelLink, from_name: str) -> LabelLink:
    from .access import MANAGERS, role_check

    role_check(user, link.project_id, MANAGERS)
    link.from_name = from_name
    link.save(update_fields=["from_name"])
    return link


def label_link_delete(*, user: User, link: LabelLink) -> None:
    from .access import MANAGERS, role_check

    role_check(user, link.project_id, MANAGERS)
    link.delete()
