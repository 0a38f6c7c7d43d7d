"""Project pages: list with progress, create with the config editor, settings (config, instructions,
queue, members), and the config editor's live-preview helper. Writes go through projects.services."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from labelstudio.core.exceptions import ApplicationError, int_param
from labelstudio.core.orgs import can_create_projects

from . import label_config as lc
from . import selectors, services
from .access import MANAGER, project_for, role_of
from .forms import SECTIONS, settings_values
from .models import Membership, Project


def _by_me(user, project_ids: list[int]) -> dict[int, int]:
    """Tasks the user has submitted a completion for, per project (one grouped query)."""
    # cross-app import (a listed exception in pyproject.toml): the project page counts completions
    from annotators.models import Completion

    rows = (
        Completion.objects.filter(project_id__in=project_ids, completed_by=user, was_cancelled=False)
        .values("project_id")
        .annotate(n=Count("task_id"))
        .order_by()
        .values_list("project_id", "n")
    )
    return dict(rows)


@login_required
def project_list(request):
    projects = list(selectors.project_list_for(request.user)[:200])
    ids = [p.pk for p in projects]
    counters = selectors.project_counters(ids)
    by_me = _by_me(request.user, ids)
    rows = []
    for p in projects:
        c = dict(counters.get(p.pk, {}))
        total = c.get("task_number", 0) or 0
        c["by_me"] = by_me.get(p.pk, 0)
        for key, out in (
            ("finished_task_number", "pct_done"),
            ("skipped_task_number", "pct_skipped"),
            ("by_me", "pct_me"),
        ):
            c[out] = round(100 * (c.get(key, 0) or 0) / total, 1) if total else 0
        rows.append((p, c, role_of(request.user, p)))
    return render(request, "projects/list.html", {"rows": rows})


def _editor_context(templates, label_config: str) -> dict:
    return {"templates": templates, "label_config": label_config}


@login_required
def project_create_page(request):
    if not can_create_projects(request.user):
        raise PermissionDenied("Your role in the organization does not allow creating projects.")
    templates = lc.list_templates()
    form = {"title": "", "description": "", "label_config": templates[0]["config"] if templates else "", "error": None}
    if request.method == "POST":
        form.update(
            title=request.POST.get("title", "").strip() or "New project",
            description=request.POST.get("description", "").strip(),
            label_config=request.POST.get("label_config", ""),
        )
        try:
            project = services.project_create(
                created_by=request.user,
                title=form["title"],
                label_config=form["label_config"],
                description=form["description"],
            )
        except ApplicationError as exc:
            form["error"] = exc
        else:
            messages.success(request, f"Project '{project.title}' created. Import some data to start labeling.")
            return redirect("import-page", pk=project.pk)
    return render(request, "projects/create.html", {"form": form, **_editor_context(templates, form["label_config"])})


@login_required
def project_detail(request, pk: int):
    """The project's home is its data manager."""
    # cross-app import (a listed exception in pyproject.toml): the data manager page lives with tasks
    from tasks.views import data_manager

    return data_manager(request, pk)


def members_user(project, raw):
    """A member of the project by the id a settings form sent (None for junk or a non-member)."""
    user_id = int_param(raw, "user")
    return project.members.filter(pk=user_id).first() if user_id is not None else None


@login_required
def project_settings(request, pk: int):
    project = project_for(request.user, pk)
    is_manager = role_of(request.user, project) == MANAGER
    config_error = None
    label_config = project.label_config
    config_version = project.label_config_version
    if request.method == "POST":
        if not is_manager:
            messages.error(request, "Only managers change project settings.")
            return redirect("project-settings-page", pk=pk)
        section = request.POST.get("section", "")
        try:
            if section == "config":
                label_config = request.POST.get("label_config", "")
                sent = request.POST.get("label_config_version", "")
                config_version = int(sent) if sent.isdecimal() and len(sent) < 10 else None
                services.project_update(project=project, label_config=label_config, label_config_version=config_version)
            elif section in SECTIONS:
                services.project_update(project=project, **settings_values(request.POST, section))
            elif section == "member-add":  # one or several usernames / e-mails, comma- or line-separated
                services.membership_bulk_add(
                    project=project,
                    names=request.POST.get("username", "").replace(",", "\n").split(),
                    role=request.POST.get("role", "annotator"),
                )
            elif section == "member-role":
                user = members_user(project, request.POST.get("user"))
                if user is not None:
                    services.membership_set(project=project, user=user, role=request.POST.get("role", "annotator"))
            elif section == "member-remove":
                user = members_user(project, request.POST.get("user"))
                if user is not None:
                    services.membership_remove(project=project, user=user)
            else:
                raise ApplicationError("unknown settings section")
        except ApplicationError as exc:
            project.refresh_from_db()
            if section == "config":
                config_error = exc
            else:
                messages.error(request, exc.message)
        else:
            messages.success(request, "Saved.")
            return redirect(f"{request.path}#{section if section in SECTIONS or section == 'config' else 'members'}")
    context = {
        "project": project,
        "tab": "settings",
        "is_manager": is_manager,
        "members": selectors.members_of(project) if is_manager else [],  # names are managers' business
        "roles": Membership.Role.choices,
        "sampling_choices": Project.Sampling.choices,
        "skip_choices": Project.SkipQueue.choices,
        "config_error": config_error,
        "config_version": config_version,
        "form": {"label_config": label_config, "error": config_error},
        **_editor_context(lc.list_templates(), label_config),
    }
    return render(request, "projects/settings.html", context)


@login_required
@require_POST
def config_preview(request):
    """Config editor helper: parse a config and return sample data for the live preview, or the
    errors with their lines. JSON in ({label_config}), JSON out."""
    try:
        text = json.loads(request.body or b"{}").get("label_config", "")
    except (ValueError, AttributeError):
        return JsonResponse({"valid": False, "errors": [{"detail": "send JSON {label_config}"}]}, status=400)
    try:
        config = lc.parse(text)
    except lc.LabelConfigError as exc:
        errors = [e.as_dict() for e in exc.errors] or [exc.as_dict()]
        return JsonResponse({"valid": False, "errors": errors})
    return JsonResponse({"valid": True, "data_keys": config.data_keys, "sample_task": lc.sample_task(config)})
