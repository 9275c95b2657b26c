"""List requests: pagination, ordering, filters and the page they return.

A resource declares which fields may be filtered (with their value types) and
sorted; `list_query_dependency` turns the query string into a `ListQuery`,
rejecting anything it does not know, so a typo never returns unfiltered data.
"""

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, TypeAdapter, ValidationError

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


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


class DeletedFilter(StrEnum):
    EXCLUDE = "exclude"
    INCLUDE = "include"
    ONLY = "only"


@dataclass(frozen=True)
class FieldFilter:
    field: str
    operator: Operator
    value: Any


@dataclass(frozen=True)
class Ordering:
    field: str
    descending: bool


@dataclass(frozen=True)
class ListQuery:
    page: int = 1
    size: int = DEFAULT_PAGE_SIZE
    filters: tuple[FieldFilter, ...] = ()
    ordering: Ordering | None = None
    deleted: DeletedFilter = DeletedFilter.EXCLUDE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size


ItemT = TypeVar("ItemT")


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT]
    total: int
    page: int
    size: int
    pages: int

    @classmethod
    def of(cls, items: Sequence[Any], total: int, query: ListQuery) -> "Page[ItemT]":
        return cls.model_validate(
            {
                "items": items,
                "total": total,
                "page": query.page,
                "size": query.size,
                "pages": math.ceil(total / query.size),
            },
            from_attributes=True,
        )


_LIST_PARAMETERS = frozenset({"page", "size", "order_by", "deleted"})


def list_query_dependency(
    filter_fields: Mapping[str, Any], sort_fields: Sequence[str]
) -> Callable[..., ListQuery]:
    """A FastAPI dependency parsing a list request for one resource.

    `filter_fields` maps each filterable field to the type of its values.
    """
    fields = {name: _FilterField(kind) for name, kind in filter_fields.items()}
    sort_help = ", ".join(sort_fields)

    def list_query(
        request: Request,
        page: Annotated[int, Query(ge=1)] = 1,
        size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
        order_by: Annotated[
            str | None, Query(description=f"One of {sort_help}; prefix - to reverse")
        ] = None,
        deleted: DeletedFilter = DeletedFilter.EXCLUDE,
    ) -> ListQuery:
        errors: list[dict[str, Any]] = []
        ordering = _parse_ordering(order_by, sort_fields, errors)
        filters = _parse_filters(request, fields, errors)
        if errors:
            raise RequestValidationError(errors)
        return ListQuery(page, size, tuple(filters), ordering, deleted)

    return list_query


def _error(name: str, msg: str, kind: str) -> dict[str, Any]:
    return {"loc": ("query", name), "msg": msg, "type": kind}


def _parse_ordering(
    order_by: str | None, sort_fields: Sequence[str], errors: list[dict[str, Any]]
) -> Ordering | None:
    if order_by is None:
        return None
    field = order_by.removeprefix("-")
    if field not in sort_fields:
        errors.append(
            _error(
                "order_by",
                f"cannot order by {field!r}; use one of {', '.join(sort_fields)}",
                "value_error.order_by",
            )
        )
        return None
    return Ordering(field, descending=order_by.startswith("-"))


def _parse_filters(
    request: Request,
    fields: Mapping[str, "_FilterField"],
    errors: list[dict[str, Any]],
) -> list[FieldFilter]:
    filters = []
    for name in request.query_params:
        if name in _LIST_PARAMETERS:
            continue
        field, _, operator_name = name.partition("__")
        if field not in fields:
            errors.append(_error(name, f"unknown query parameter {name!r}", "extra"))
            continue
        try:
            operator = Operator(operator_name or Operator.EQ)
        except ValueError:
            known = ", ".join(Operator)
            errors.append(
                _error(name, f"unknown operator {operator_name!r}; use {known}", "enum")
            )
            continue
        values = request.query_params.getlist(name)
        if len(values) > 1:
            errors.append(_error(name, "given more than once", "value_error.repeated"))
            continue
        try:
            value = fields[field].parse(operator, values[0])
        except ValidationError as exc:
            message = exc.errors()[0]["msg"]
            errors.append(_error(name, message, "value_error"))
            continue
        except ValueError as exc:
            errors.append(_error(name, str(exc), "value_error.operator"))
            continue
        filters.append(FieldFilter(field, operator, value))
    return filters


_BOOLEAN = TypeAdapter(bool)


class _FilterField:
    """How the values of one filterable field are read from the query string."""

    def __init__(self, kind: Any) -> None:
        self.is_text = kind is str
        self.adapter: TypeAdapter[Any] = TypeAdapter(kind)

    def parse(self, operator: Operator, raw: str) -> Any:
        if operator is Operator.ISNULL:
            return _BOOLEAN.validate_strings(raw)
        if operator in (Operator.LIKE, Operator.ILIKE):
            if not self.is_text:
                raise ValueError(f"{operator} applies to text fields only")
            return raw
        if operator is Operator.IN:
            return tuple(self.adapter.validate_strings(part) for part in raw.split(","))
        return self.adapter.validate_strings(raw)
