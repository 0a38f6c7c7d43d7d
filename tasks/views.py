"""Task pages: the data manager (task table with filters and keyset paging), import and export.
Reads go through tasks.datamanager / selectors; the pages' actions call the REST API from JS."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from projects import label_config as lc
from projects.access import MANAGER, REVIEWER, project_for, role_of
from projects.selectors import members_of

from . import datamanager, selectors
from .importers.media import series_url_key


def sees_others_work(user, project) -> bool:
    # listed layering exception, lazy so tasks loads on its own: the data-manager page shows only visible work
    from annotators.selectors import sees_others_work as sees

    return sees(user, project)


PAGE_SIZES = (25, 50, 100, 200)
MAX_COLUMNS = 6


def _config(project):
    try:
        return lc.parse(project.label_config)
    except lc.LabelConfigError:
        return None


def _cell(value, kind: str) -> dict:
    if isinstance(value, str):
        is_url = value.startswith(("http://", "https://", "/"))
        if kind in ("Image", "Audio") and is_url:
            return {"kind": kind.lower(), "url": value, "text": value}
        return {"kind": "text", "text": value[:160] + ("…" if len(value) > 160 else "")}
    if value is None:
        return {"kind": "text", "text": ""}
    text = json.dumps(value, ensure_ascii=False)
    return {"kind": "json", "text": text[:160] + ("…" if len(text) > 160 else "")}


def _columns(config, tasks) -> list[tuple[str, str]]:
    """(data key, object tag) for the table: the config's data keys first, then other keys seen."""
    columns: dict[str, str] = {}
    if config is not None:
        for obj in config.objects.values():
            if obj.value_key and obj.value_key not in columns:
                columns[obj.value_key] = obj.tag_name
        for key in config.data_keys:
            columns.setdefault(key, "")
    for task in tasks:
        if isinstance(task.data, dict):
            for key in task.data:
                columns.setdefault(key, "")
    return list(columns.items())[:MAX_COLUMNS]


def _model_versions(project) -> list[str]:
    return selectors.model_versions_of(project.pk)


@login_required
def data_manager(request, pk: int):
    project = project_for(request.user, pk)
    role = role_of(request.user, project)
    params = request.GET
    try:
        size = int(params.get("page_size", 50))
    except ValueError:
        size = 50
    size = size if size in PAGE_SIZES else 50
    sort = params.get("sort", "id")
    desc = params.get("desc") == "1"
    qs = datamanager.filtered_tasks(selectors.task_list_for(request.user, project.pk), params, request.user)
    total = selectors.task_total(qs)
    page = datamanager.task_page(
        qs, sort=sort, desc=desc, after=params.get("after", ""), before=params.get("before", ""), size=size
    )
    see_all = sees_others_work(request.user, project)
    extras = datamanager.page_extras([t.pk for t in page.tasks], user=request.user, see_all=see_all)
    config = _config(project)
    columns = _columns(config, page.tasks)
    rows = [
        {
            "task": t,
            "cells": [
                _cell((t.data or {}).get(key) if isinstance(t.data, dict) else None, kind) for key, kind in columns
            ],
            **extras.get(t.pk, {}),
        }
        for t in page.tasks
    ]
    keep = {k: v for k, v in params.items() if k in (*datamanager.FILTER_PARAMS, "sort", "desc", "page_size") and v}
    filters_only = {k: v for k, v in keep.items() if k in datamanager.FILTER_PARAMS}

    def link(**changes) -> str:
        q = {**keep, **changes}
        return "?" + urlencode({k: v for k, v in q.items() if v not in (None, "")})

    sort_links = {}
    for name in datamanager.SORTS:
        flip = "" if (sort == name and desc) else "1" if sort == name else ""
        sort_links[name] = link(sort=name, desc=flip)
    context = {
        "project": project,
        "tab": "data",
        "role": role,
        "is_manager": role == MANAGER,
        "is_staff_role": role in (MANAGER, REVIEWER),
        "columns": columns,
        "rows": rows,
        "page": page,
        "total_label": total.label,
        "total_estimated": total.estimated,
        "next_link": link(after=page.next_cursor) if page.next_cursor else None,
        "prev_link": link(before=page.prev_cursor) if page.prev_cursor else None,
        "first_link": link() if (params.get("after") or params.get("before")) else None,
        "sort_links": sort_links,
        "filters": filters_only,
        "params": keep,
        "page_sizes": PAGE_SIZES,
        "page_size": size,
        "members": members_of(project) if role in (MANAGER, REVIEWER) else [],
        "model_versions": _model_versions(project),
        "any_filter": bool(filters_only),
        "see_all": see_all,
    }
    return render(request, "tasks/data_manager.html", context)


@login_required
def import_page(request, pk: int):
    project = project_for(request.user, pk)
    config = _config(project)
    context = {
        "project": project,
        "tab": "import",
        "is_manager": role_of(request.user, project) == MANAGER,
        "data_keys": config.data_keys if config else [],
        "series_key": series_url_key(config) if config else None,
        "sample_json": json.dumps(lc.sample_task(config) if config else {}, ensure_ascii=False),
    }
    return render(request, "tasks/import.html", context)


@login_required
def export_page(request, pk: int):
    project = project_for(request.user, pk)
    ids = [int(x) for x in request.GET.get("ids", "").split(",") if x.strip().isdecimal()]
    context = {
        "project": project,
        "tab": "export",
        "is_manager": role_of(request.user, project) == MANAGER,
        "selected_ids": ids,
    }
    return render(request, "tasks/export.html", context)
