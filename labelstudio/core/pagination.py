"""Page-number pagination with Label Studio's parameter names (page, page_size)."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 1000


class PlainListUnlessPaged(PageNumberPagination):
    """A plain JSON list, as Label Studio answers for predictions, ML backends and webhooks; the
    paginated object only when the client asks for a page (``page`` or ``page_size``)."""

    def paginate_queryset(self, queryset, request, view=None):
        if not ({self.page_query_param, self.page_size_query_param} & set(request.query_params)):
            return None
        return super().paginate_queryset(queryset, request, view)
