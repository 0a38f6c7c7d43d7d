"""A request's validated input, shared by the annotators views. (The project, task or completion
a request names is resolved by the permission layer: projects/access.py, tasks.selectors.task_for,
annotators.selectors.completion_for.)"""

from __future__ import annotations

import threading

from rest_framework import serializers

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
