"""Label Studio's task-list page shape: {"tasks": [...], "total": N}. A page past the last one
answers 404, as Label Studio's does (its legacy client and the SDK's pager stop on it); page 1 of
an empty list is an empty page."""

from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response


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
        # Keyset paging (?after=<id>) never needs a total; the first page of an offset walk does.
        self.total = None if request.query_params.get("after") else queryset.count()
        start = (self.page_number - 1) * size
        rows = list(queryset[start : start + size])
        if not rows and self.page_number > 1:
            raise NotFound("Invalid page.")
        return rows

    def get_paginated_response(self, data):
        return Response({"total": self.total, "tasks": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "properties": {"total": {"type": "integer", "nullable": True}, "tasks": schema},
        }
