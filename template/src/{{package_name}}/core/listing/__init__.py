"""List requests: pagination, ordering, filters and the page they return.

A resource declares a `Listing`: which fields may be filtered (with the type of
their values) and sorted. `Listing.parse`, a FastAPI dependency, turns the query
string into a `ListQuery`, refusing anything it does not know, so a typo never
returns unfiltered data. `Listing.openapi` documents the same parameters, built
from the same validators, so the OpenAPI document says exactly what is accepted.

The modules, lowest first: `cursor` (order and keyset cursor), `query`
(ListQuery, ListResult), `page` (the Page response), `values` (filter value
types), `parameters` (each query parameter, read and documented) and `parsing`
(Listing); `sql` turns a ListQuery into SQL for the repositories. Import
from `core.listing` itself, but for `sql`.
"""

from .cursor import DEFAULT_ORDERING, Cursor, Ordering
from .page import Page, TotalIs
from .parsing import Listing
from .query import (
    COUNT_LIMIT,
    DEFAULT_PAGE_SIZE,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    TEXT_ONLY_OPERATORS,
    DeletedFilter,
    FieldFilter,
    ListQuery,
    ListResult,
    Operator,
    TotalMode,
)
from .values import LIKE_VALUE_PATTERN, LikeValue, ListedText, Text, Timestamp

__all__ = [
    "COUNT_LIMIT",
    "DEFAULT_ORDERING",
    "DEFAULT_PAGE_SIZE",
    "LIKE_VALUE_PATTERN",
    "MAX_PAGE",
    "MAX_PAGE_SIZE",
    "TEXT_ONLY_OPERATORS",
    "Cursor",
    "DeletedFilter",
    "FieldFilter",
    "LikeValue",
    "ListQuery",
    "ListResult",
    "ListedText",
    "Listing",
    "Operator",
    "Ordering",
    "Page",
    "Text",
    "Timestamp",
    "TotalIs",
    "TotalMode",
]
