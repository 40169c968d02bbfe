"""Page sizes of list endpoints: a client may ask for fewer or more, never more than the cap."""

from rest_framework.pagination import PageNumberPagination


class CappedPageNumberPagination(PageNumberPagination):
    """The default of every paginated list: 50 a page, ``page_size`` up to 100.

    A larger ``page_size`` is cut to the cap rather than refused, as DRF does, so a client that
    asks for everything still gets a bounded answer and follows ``next``."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
