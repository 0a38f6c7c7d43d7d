"""Model settings page: the project's ML backends (connect, check health, pre-label, train).
The page talks to /api/ml/ from its script; this view only renders it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from projects.access import MANAGER, project_for, role_of


@login_required
def backends_page(request, pk: int):
    project = project_for(request.user, pk)
    context = {"project": project, "tab": "ml", "is_manager": role_of(request.user, project) == MANAGER}
    return render(request, "ml_backends/backends.html", context)
