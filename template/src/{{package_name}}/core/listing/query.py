"""What a list request asks for (ListQuery) and what a repository finds (ListResult)."""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from .cursor import DEFAULT_ORDERING, Cursor, Ordering

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
# OFFSET is (page - 1) * size: this bound keeps it far inside PostgreSQL's
# bigint. Deeper pages are better reached by narrowing the filters.
MAX_PAGE = 10_000_000
# A list counts at most this many matching rows; past it, `total` is a lower
# bound (total_is "at_least") unless the client asks for total=exact. Counting
# is what costs at scale: PostgreSQL visits every matching row to count it.
COUNT_LIMIT = 10_000


class Operator(StrEnum):
    EQ = "eq"
    NE = "ne"
    IN = "in"
    LIKE = "like"
    ILIKE = "ilike"
    GT = "gt"
    GTE = "gte"
    LT = "lt"
    LTE = "lte"
    ISNULL = "isnull"


TEXT_ONLY_OPERATORS = (Operator.LIKE, Operator.ILIKE)


class DeletedFilter(StrEnum):
    EXCLUDE = "exclude"
    INCLUDE = "include"
    ONLY = "only"


class TotalMode(StrEnum):
    BOUNDED = "bounded"
    EXACT = "exact"


@dataclass(frozen=True)
class FieldFilter:
    field: str
    operator: Operator
    # For like/ilike, the SQL pattern itself; for in, a tuple of values.
    value: Any


@dataclass(frozen=True)
class ListQuery:
    page: int = 1
    size: int = DEFAULT_PAGE_SIZE
    filters: tuple[FieldFilter, ...] = ()
    ordering: Ordering | None = None
    deleted: DeletedFilter = DeletedFilter.EXCLUDE
    # Set when the request follows a page's `next` link.
    cursor: Cursor | None = None
    exact_total: bool = False
    # The request's path and parameters but page and cursor: the base of the
    # page's links, which keep its filters, order and size.
    path: str = ""
    link_parameters: tuple[tuple[str, str], ...] = ()

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def sort(self) -> Ordering:
        return self.ordering or DEFAULT_ORDERING

    def link(self, cursor: Cursor) -> str:
        parameters = [*self.link_parameters, ("cursor", cursor.encode())]
        return f"{self.path}?{urlencode(parameters)}"


RowT = TypeVar("RowT")


@dataclass(frozen=True)
class ListResult(Generic[RowT]):
    """One page of rows as a repository found it (see BaseRepository.page)."""

    items: Sequence[RowT]
    total: int
    total_is_exact: bool
    next_cursor: Cursor | None
