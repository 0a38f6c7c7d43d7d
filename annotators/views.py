"""Annotator pages: the label stream, the compare view, the review queue and the dashboard.
They render the project's config and settings; the work itself goes through the REST API
(next task, completions, review, ground truth, stats) from the page scripts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from labelstudio.core import orgs
from projects.permissions import MANAGER, REVIEWER, STAFF_ROLES, role_of
from projects.selectors import members_of
from projects.views import project_for_page
from tasks.selectors import task_list_for

from .selectors import sees_others_work


def _page(request, project, tab: str, template: str, **extra):
    role = role_of(request.user, project)
    # names of the people whose work this user may see (and of the reviewers, who write to them)
    see_all = sees_others_work(request.user, project)
    members = {
        m.user_id: m.user.get_username()
        for m in members_of(project)
        if see_all or m.user_id == request.user.pk or m.role in STAFF_ROLES
    }
    context = {
        "project": project,
        "tab": tab,
        "role": role,
        "is_manager": role == MANAGER,
        "is_staff_role": role in (MANAGER, REVIEWER),
        "page_data": {
            "project": {
                "id": project.pk,
                "title": project.title,
                "label_config": project.label_config,
                "show_skip_button": project.show_skip_button,
                "show_instruction": project.show_instruction,
                "annotators_see_all": project.annotators_see_all,
                "task_lock_ttl": project.task_lock_ttl,
            },
            "user": {
                "id": request.user.pk,
                "username": request.user.get_username(),
                "hotkeys": getattr(orgs.member_of(request.user), "custom_hotkeys", None) or {},
            },
            "members": members,
            "role": role,
            **extra.pop("data", {}),
        },
        **extra,
    }
    return render(request, template, context)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def label_stream(request, pk: int):
    """ "Label all tasks": one next task after another (or one task with ?task=<id>); a reviewer
    opens a completion with ?task=<id>&review=<completion id> to accept, reject or correct it."""
    project = project_for_page(request.user, pk)
    data = {"task_id": _int(request.GET.get("task")), "review_id": _int(request.GET.get("review"))}
    return _page(request, project, "label", "annotators/label.html", data=data)


@login_required
def compare(request, pk: int, task_id: int):
    """A task's completions and predictions side by side; staff pick the ground truth."""

    project = project_for_page(request.user, pk)
    task = task_list_for(request.user, project.pk).filter(pk=task_id).first()
    if task is None:
        raise Http404("no such task")
    return _page(
        request,
        project,
        "data",
        "annotators/compare.html",
        task=task,
        data={"task": {"id": task.pk, "data": task.data}},
    )


@login_required
def review_queue(request, pk: int):
    project = project_for_page(request.user, pk)
    return _page(request, project, "review", "annotators/review.html")


@login_required
def dashboard(request, pk: int):
    project = project_for_page(request.user, pk)
    if role_of(request.user, project) not in STAFF_ROLES:  # its numbers are other people's work
        raise PermissionDenied("only managers and reviewers see the project dashboard")
    return _page(request, project, "dashboard", "annotators/dashboard.html")
