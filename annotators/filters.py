"""Query parameters of the annotators API, as django-filter FilterSets (like tasks/filters.py).

``query_params(FilterSet, request, queryset)`` binds one to the request: a bad value is a 400
naming the parameter (``{"detail": "days must be ...", "field": "days"}``); ``.qs`` is the filtered
queryset. ``query_options(FilterSet, request)`` parses the parameters that are options rather than
filters (``status``, ``days``, ``max_tasks``, ``defer``, ``user``) with the same errors.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError

from .models import Completion, Draft, TaskAssignment
from .selectors import REVIEW_STATES, filter_completions_by_review
from .stats import MAX_AGREEMENT_TASKS


class IdField(forms.CharField):
    """An id; anything else means "no filter" (these lists always ignored junk ids)."""

    def clean(self, value: Any) -> int | None:
        value = super().clean(value)
        return int(value) if value and value.isdecimal() else None


class ReviewStateField(forms.CharField):
    def __init__(self, *args: Any, param: str = "review", **kwargs: Any) -> None:
        self.param = param
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if value and value not in REVIEW_STATES:
            raise forms.ValidationError(f"{self.param} must be one of {', '.join(REVIEW_STATES)}")
        return value


class IdListField(forms.CharField):
    """Ids separated by commas; the items that are not ids are left out."""

    def clean(self, value: Any) -> list[int]:
        return [int(t) for t in (super().clean(value) or "").split(",") if t.strip().isdecimal()]


class BoundedIntField(forms.CharField):
    """A whole number from ``lo`` to ``hi``; ``default`` when the parameter is absent."""

    def __init__(self, *args: Any, param: str, lo: int, hi: int, default: int, **kwargs: Any) -> None:
        self.param, self.lo, self.hi, self.default = param, lo, hi, default
        super().__init__(*args, strip=False, **kwargs)

    def clean(self, value: Any) -> int:
        if value is None:
            return self.default
        if not value.isdecimal() or not self.lo <= int(value) <= self.hi:
            raise forms.ValidationError(f"{self.param} must be an integer from {self.lo} to {self.hi}")
        return int(value)


class IdFilter(django_filters.Filter):
    field_class = IdField

    def filter(self, qs: QuerySet, value: int | None) -> QuerySet:
        return qs if value is None else qs.filter(**{self.field_name: value})


class ReviewStateFilter(django_filters.Filter):
    field_class = ReviewStateField


class OptionFilter(django_filters.Filter):
    """An option of the answer, not a filter: read from ``form.cleaned_data``."""

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        return qs


class ReviewStateOption(OptionFilter):
    field_class = ReviewStateField


class IdListOption(OptionFilter):
    field_class = IdListField


class BoundedIntOption(OptionFilter):
    field_class = BoundedIntField


class CompletionFilter(django_filters.FilterSet):
    """GET /api/projects/{id}/annotations/?review=STATE (or review_status=) &ground_truth=1
    &completed_by=ID &task=ID."""

    review = ReviewStateFilter(method="filter_review", param="review")
    review_status = ReviewStateFilter(method="filter_review", param="review")
    ground_truth = django_filters.CharFilter(method="filter_ground_truth", label="1 or true: ground truths only")
    completed_by = IdFilter(field_name="completed_by_id")
    task = IdFilter(field_name="task_id")

    class Meta:
        model = Completion
        fields: list[str] = []

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None and data.get("review"):  # ``review`` wins over its other spelling
            data = data.copy()
            data.pop("review_status", None)
        super().__init__(data, *args, **kwargs)

    def filter_review(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return filter_completions_by_review(qs, value)

    def filter_ground_truth(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(ground_truth=True) if value in ("1", "true", "True") else qs


class ReviewQueueFilter(django_filters.FilterSet):
    """GET /api/projects/{id}/review-queue?status=STATE (staff; the default is pending)."""

    status = ReviewStateOption(param="status")  # selectors.review_queue_for applies it, by role

    class Meta:
        model = Completion
        fields: list[str] = []


class AssignmentFilter(django_filters.FilterSet):
    """GET /api/projects/{id}/assignments/?user=ID."""

    user = IdFilter(field_name="user_id")

    class Meta:
        model = TaskAssignment
        fields: list[str] = []


class DraftFilter(django_filters.FilterSet):
    """GET /api/drafts/?project=ID."""

    project = IdFilter(field_name="project_id")

    class Meta:
        model = Draft
        fields: list[str] = []


class NextTaskParams(django_filters.FilterSet):
    """GET /api/projects/{id}/next?defer=ID,ID: tasks the user put off in this session."""

    defer = IdListOption()

    class Meta:
        model = Completion
        fields: list[str] = []


class AgreementParams(django_filters.FilterSet):
    """GET /api/projects/{id}/agreement/?max_tasks=N."""

    max_tasks = BoundedIntOption(param="max_tasks", lo=1, hi=50_000, default=MAX_AGREEMENT_TASKS)

    class Meta:
        model = Completion
        fields: list[str] = []


class StatsParams(django_filters.FilterSet):
    """GET /api/projects/{id}/stats/?days=30&max_tasks=N."""

    days = BoundedIntOption(param="days", lo=1, hi=3660, default=30)
    max_tasks = BoundedIntOption(param="max_tasks", lo=1, hi=50_000, default=MAX_AGREEMENT_TASKS)

    class Meta:
        model = Completion
        fields: list[str] = []


_form_classes: dict[type, type] = {}  # query_options: one form class per FilterSet


def _none(filterset_class: type[django_filters.FilterSet]) -> QuerySet:
    return filterset_class._meta.model.objects.none()


def query_options(filterset_class: type[django_filters.FilterSet], request: Any) -> dict[str, Any]:
    """The parsed values of a FilterSet's parameters (``form.cleaned_data``) when it only reads
    options and filters no queryset (next-task's ``defer``, stats' ``days``): its form alone, its
    class built once. Binding the whole FilterSet (a deep copy of its filters, a new Form class)
    cost ~0.3 ms of CPU per next-task, the labeling loop's hottest request; the 400 is the same."""
    form_class = _form_classes.get(filterset_class)
    if form_class is None:
        form_class = _form_classes[filterset_class] = filterset_class(queryset=_none(filterset_class)).get_form_class()
    form = form_class(request.query_params)
    if not form.is_valid():
        raise _refused(form.errors)
    return form.cleaned_data


def query_params(filterset_class: type[django_filters.FilterSet], request: Any, queryset: QuerySet | None = None):
    """The FilterSet bound to the request's query, validated: a 400 naming the first bad parameter."""
    filterset = filterset_class(
        request.query_params, queryset=queryset if queryset is not None else _none(filterset_class), request=request
    )
    if not filterset.is_valid():
        raise _refused(filterset.errors)
    return filterset


def _refused(errors: Any) -> ValidationError:
    """The 400 of the first bad parameter, named."""
    name, messages = next(iter(errors.items()))
    return ValidationError({"detail": messages[0], "field": name})
