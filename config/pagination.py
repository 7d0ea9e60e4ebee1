from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """Default list pagination: 20 per page; ``page_size`` is clamped to 100."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class NewestFirstCursorPagination(pagination.CursorPagination):
    """Keyset pagination on ``(-created_at, -id)``: deep pages cost what the first does, no COUNT."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = ("-created_at", "-id")
