"""The `Page` response model: one page of a list, with its total and next link."""

import math
from collections.abc import Sequence
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

from .cursor import Cursor
from .query import COUNT_LIMIT, ListQuery, ListResult

ItemT = TypeVar("ItemT")
TotalIs = Literal["exact", "at_least"]


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT]
    total: int = Field(
        description=f"Matching rows: exact, or past {COUNT_LIMIT:,} a lower bound "
        "(see total_is) unless the request asks for total=exact"
    )
    total_is: TotalIs = Field(
        default="exact", description="exact, or at_least when total is a lower bound"
    )
    page: int = Field(description="This page's number, links followed included")
    size: int
    pages: int = Field(description="ceil(total / size), a lower bound as total is")
    next: str | None = Field(
        default=None,
        description="The next page's path and query (its cursor keeps the filters,"
        " order and size), or null on the last page",
    )

    @classmethod
    def from_result(cls, result: ListResult[Any], query: ListQuery) -> "Page[ItemT]":
        return cls._build(
            items=result.items,
            total=result.total,
            total_is="exact" if result.total_is_exact else "at_least",
            query=query,
            next_cursor=result.next_cursor,
        )

    @classmethod
    def _build(
        cls,
        items: Sequence[Any],
        total: int,
        total_is: TotalIs,
        query: ListQuery,
        next_cursor: Cursor | None,
    ) -> "Page[ItemT]":
        return cls.model_validate(
            {
                "items": items,
                "total": total,
                "total_is": total_is,
                "page": query.page,
                "size": query.size,
                "pages": math.ceil(total / query.size),
                "next": None if next_cursor is None else query.link(next_cursor),
            },
            from_attributes=True,
        )
