"""The data manager's task filters (API query parameters), shared by the task list, the data
manager page, export selections and bulk actions."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef

from . import score_order
from .models import Task

ORDERINGS = {
    "id",
    "-id",
    "total_annotations",
    "-total_annotations",
    "total_predictions",
    "-total_predictions",
    "created_at",
    "-created_at",
    "updated_at",
    "-updated_at",
    "is_labeled",
    "-is_labeled",
    "predictions_score",  # Label Studio's name of the average prediction score; no score: last either way
    "-predictions_score",
}


class NumberInFilter(django_filters.BaseInFilter, django_filters.NumberFilter):
    """``ids=1,2,3``: each item must be a number (a 400 names the filter otherwise)."""


class TaskFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="project_id")
    is_labeled = django_filters.BooleanFilter()
    ids = NumberInFilter(field_name="id", lookup_expr="in")
    text = django_filters.CharFilter(method="filter_text", label="text anywhere in the task data")
    annotator = django_filters.NumberFilter(method="filter_annotator", label="has a completion by this user id")
    has_ground_truth = django_filters.BooleanFilter(method="filter_ground_truth")
    review_status = django_filters.CharFilter(method="filter_review", label="accepted | rejected | fixed | none")
    model_version = django_filters.CharFilter(method="filter_model_version")
    prediction_score_min = django_filters.NumberFilter(method="filter_score_min")
    prediction_score_max = django_filters.NumberFilter(method="filter_score_max")
    after = django_filters.NumberFilter(field_name="id", lookup_expr="gt", label="keyset: tasks after this id")
    ordering = django_filters.CharFilter(method="filter_ordering", label=", ".join(sorted(ORDERINGS)))

    class Meta:
        model = Task
        fields = ["project", "is_labeled"]

    def _completions(self):
        """Completions this request may know about: a filter on other annotators' work must not
        tell an annotator what the others labeled (unless their project allows it)."""
        # listed layering exception, lazy so tasks loads on its own: data-manager filters on completions
        from annotators.selectors import completions_readable_by

        return completions_readable_by(getattr(self.request, "user", None))

    def filter_text(self, qs, name, value):
        if not value:
            return qs
        from .search import text_filter

        project = self.form.cleaned_data.get("project")  # a Decimal from the NumberFilter
        return text_filter(qs, value, int(project) if project is not None else None)

    def filter_annotator(self, qs, name, value):
        return qs.filter(Exists(self._completions().filter(task=OuterRef("pk"), completed_by_id=value)))

    def filter_ground_truth(self, qs, name, value):
        exists = Exists(self._completions().filter(task=OuterRef("pk"), ground_truth=True))
        return qs.filter(exists) if value else qs.exclude(exists)

    def filter_review(self, qs, name, value):
        status = "" if value == "none" else value
        return qs.filter(Exists(self._completions().filter(task=OuterRef("pk"), review_status=status)))

    def _predictions(self):
        # listed layering exception, lazy so tasks loads on its own: data-manager filters on predictions
        from ml_backends.models import Prediction

        preds = Prediction.objects.filter(task=OuterRef("pk"))
        version = self.data.get("model_version")
        return preds.filter(model_version=version) if version else preds

    def filter_model_version(self, qs, name, value):
        return qs.filter(Exists(self._predictions()))

    # the task's prediction score is the average of its predictions' (Label Studio's), a column
    # range; with a model_version, the scores of that version's predictions
    def filter_score_min(self, qs, name, value):
        if self.data.get("model_version"):
            return qs.filter(Exists(self._predictions().filter(score__gte=value)))
        return qs.filter(prediction_score__gte=value)

    def filter_score_max(self, qs, name, value):
        if self.data.get("model_version"):
            return qs.filter(Exists(self._predictions().filter(score__lte=value)))
        return qs.filter(prediction_score__lte=value)

    def filter_ordering(self, qs, name, value):
        fields = [f for f in value.split(",") if f in ORDERINGS]
        if not fields:
            return qs
        if fields[0].lstrip("-") in score_order.NAMES:  # NULLs last either way, then id
            return score_order.ordered(qs, desc=fields[0].startswith("-"))
        tie = "-id" if fields[-1].startswith("-") else "id"
        return qs.order_by(*fields, tie) if fields[-1].lstrip("-") != "id" else qs.order_by(*fields)
