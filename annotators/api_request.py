"""What every annotators view resolves first: the project, task or completion a request names,
if the user may see it (404 otherwise, so ids don't leak), and its validated input."""

from __future__ import annotations

import threading

from django.http import Http404
from rest_framework import serializers

from projects.models import Project
from projects.selectors import project_with_role
from tasks.models import Task
from tasks.selectors import task_with_role

from . import selectors
from .models import Completion


def project_or_404(user, project_id) -> Project:
    """The project if the user is a member (their role is then cached on the user for the
    services); 404 otherwise, so ids don't leak."""
    project, role = project_with_role(user, int(project_id))
    if role is None:
        raise Http404("no such project")
    return project


def task_or_404(user, task_id) -> Task:
    task, role = task_with_role(user, int(task_id))
    if role is None:
        raise Http404("no such task")
    return task


def completion_or_404(user, pk) -> Completion:
    try:
        return selectors.completion_get_for(user, int(pk))
    except (Completion.DoesNotExist, ValueError) as exc:
        raise Http404("no such annotation") from exc


_validators = threading.local()


def valid(serializer_class, data):
    """Validated input. Plain input serializers are kept per thread and reused: building one
    deep-copies its fields, which cost more than the validation on the submit path. (Model
    serializers, which may hold an instance, are made fresh.)"""
    if issubclass(serializer_class, serializers.ModelSerializer):
        serializer = serializer_class(data=data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data
    kept = _validators.__dict__
    serializer = kept.get(serializer_class) or kept.setdefault(serializer_class, serializer_class())
    return serializer.run_validation(data)  # raises the same ValidationError as is_valid()
