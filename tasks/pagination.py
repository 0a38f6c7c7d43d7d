"""Label Studio's task-list page shape: {"tasks": [...], "total": N}. A page past the last one
answers 404, as Label Studio's does (its legacy client and the SDK's pager stop on it); page 1 of
an empty list is an empty page."""

from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from . import score_order, selectors


class TaskPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        try:
            self.page_number = min(max(int(request.query_params.get(self.page_query_param, 1)), 1), 10**9)
        except ValueError:
            self.page_number = 1
        # Keyset paging (?after=<id>) never needs a total; an offset walk does. Totals of large lists
        # are the planner's estimates (selectors.task_total); pages past the first are deferred joins.
        self.total, self.estimated = None, False
        if not request.query_params.get("after"):
            total = selectors.task_total(queryset)
            self.total, self.estimated = total.value, total.estimated
        start = (self.page_number - 1) * size
        if score_order.score_order_of(queryset) is not None:  # scored tasks, then the unscored: two index scans
            rows = score_order.offset_page(queryset, start, size, selectors.task_offset_page)
        else:
            rows = selectors.task_offset_page(queryset, start, size)
        if not rows and self.page_number > 1:
            raise NotFound("Invalid page.")  # Label Studio's answer past the last page: its clients stop on it
        return rows

    def get_paginated_response(self, data):
        body = {"total": self.total, "tasks": data}
        if self.estimated:
            body["total_estimated"] = True
        return Response(body)

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "properties": {"total": {"type": "integer", "nullable": True}, "tasks": schema},
        }
