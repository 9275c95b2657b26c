"""List requests: pagination, ordering, filters and the page they return.

A resource declares a `Listing`: which fields may be filtered (with the type of
their values) and sorted. `Listing.parse`, a FastAPI dependency, turns the query
string into a `ListQuery`, refusing anything it does not know, so a typo never
returns unfiltered data. `Listing.openapi` documents the same parameters, built
from the same validators, so the OpenAPI document says exactly what is accepted.
"""

import base64
import binascii
import json
import math
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Generic, Literal, TypeVar
from urllib.parse import urlencode

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)
from pydantic_core import to_jsonable_python

from .schema_docs import DocumentedPattern
from .text import STORABLE_TEXT_PATTERN, check_storable

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
# OFFSET is (page - 1) * size: this bound keeps it far inside PostgreSQL's
# bigint. Deeper pages are better reached by narrowing the filters.
MAX_PAGE = 10_000_000
# A list counts at most this many matching rows; past it, `total` is a lower
# bound (total_is "at_least") unless the client asks for total=exact. Counting
# is what costs at scale: a million rows take ~100 ms to count, 10,000 ~2 ms.
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
class Ordering:
    field: str
    descending: bool

    @property
    def key(self) -> str:
        return f"-{self.field}" if self.descending else self.field


DEFAULT_ORDERING = Ordering("created_at", descending=True)


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: after the row with this sort value and id (keyset
    pagination, as fast on page 50,000 as on page 1)."""

    page: int
    ordering: Ordering
    value: Any
    id: uuid.UUID

    def encode(self) -> str:
        fields = [self.page, self.ordering.key, to_jsonable_python(self.value)]
        raw = json.dumps([*fields, str(self.id)], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


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
    def of(cls, items: Sequence[Any], total: int, query: ListQuery) -> "Page[ItemT]":
        """A page from rows and their exact total (before `from_result`, which
        resources built with `BaseRepository.page` use)."""
        next_cursor = None
        if query.cursor is None:
            more = query.offset + len(items) < total
        else:
            more = len(items) == query.size
        if items and more:
            last = items[-1]
            value = getattr(last, query.sort.field)
            next_cursor = Cursor(query.page + 1, query.sort, value, last.id)
        return cls._build(items, total, "exact", query, next_cursor)

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


# Values of filters


def _iso_datetime(value: object) -> object:
    # Pydantic also reads a bare number as Unix time; the contract asks for an
    # ISO 8601 date-time with an offset, and anything else is a mistake.
    if isinstance(value, str) and not re.match(r"\d{4}-\d\d-\d\d", value):
        raise ValueError("must be an ISO 8601 date-time with an offset")
    return value


def _in_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:
        # Beyond year 1 or 9999 in UTC: bound by asyncpg's stand-ins for
        # PostgreSQL's -infinity and infinity, which order the same way.
        low = value.year == datetime.min.year
        return (datetime.min if low else datetime.max).replace(tzinfo=UTC)


Timestamp = Annotated[
    AwareDatetime, BeforeValidator(_iso_datetime), AfterValidator(_in_utc)
]
Text = Annotated[
    str, AfterValidator(check_storable), DocumentedPattern(STORABLE_TEXT_PATTERN)
]
# An element of an `in` list: not empty, and the comma separates elements.
ListedText = Annotated[
    str,
    StringConstraints(min_length=1),
    AfterValidator(check_storable),
    DocumentedPattern(r"^[^\x00,]+$"),
]

# A like/ilike value with % or _ is a SQL pattern, which must not end with the
# escape character (\); one without is matched as a substring.
LIKE_VALUE_PATTERN = r"^(?:[^\x00%_]*|[^\x00]*[%_](?:[^\x00]*[^\x00\\])?(?:\\\\)*)$"


def _sql_pattern(value: str) -> str:
    check_storable(value)
    if "%" not in value and "_" not in value:
        return "%" + value.replace("\\", "\\\\") + "%"
    if (len(value) - len(value.rstrip("\\"))) % 2:
        raise ValueError("a pattern must not end with the escape character \\")
    return value


LikeValue = Annotated[
    str, AfterValidator(_sql_pattern), DocumentedPattern(LIKE_VALUE_PATTERN)
]
_BOOLEAN: TypeAdapter[bool] = TypeAdapter(bool)


# Query parameters


@dataclass(frozen=True)
class _Parameter:
    """One query parameter of a list request: how it is read and documented."""

    name: str
    read: Callable[[str], Any]
    schema: dict[str, Any]
    description: str
    # The filter it sets, if any.
    field_filter: tuple[str, Operator] | None = None
    # A list (`in`): the parameter may be repeated, each value read by `read`
    # into a tuple and the tuples joined, so `a&a` and `a,a` say the same.
    repeatable: bool = False

    def read_all(self, raws: Sequence[str]) -> Any:
        """The value of the parameter given `raws` (each time it was given)."""
        if self.repeatable:
            return tuple(value for raw in raws for value in self.read(raw))
        return self.read(raws[0])

    def openapi(self) -> dict[str, Any]:
        parameter = {
            "name": self.name,
            "in": "query",
            "required": False,
            "description": self.description,
            "schema": self.schema,
        }
        return parameter


def _adapted(adapter: TypeAdapter[Any]) -> tuple[Callable[[str], Any], dict[str, Any]]:
    return adapter.validate_strings, adapter.json_schema()


def _value_type(kind: Any) -> Any:
    if kind is str:
        return Text
    if kind in (datetime, AwareDatetime):
        return Timestamp
    return kind


@dataclass(frozen=True)
class _FilterField:
    name: str
    kind: Any

    def operators(self) -> list[Operator]:
        if self.kind is str:
            return list(Operator)
        return [
            operator for operator in Operator if operator not in TEXT_ONLY_OPERATORS
        ]

    def parameters(self) -> list[_Parameter]:
        # eq goes by the bare field name too.
        named = [(self.name, Operator.EQ)]
        named += [
            (f"{self.name}__{operator}", operator) for operator in self.operators()
        ]
        return [self.parameter(name, operator) for name, operator in named]

    def parameter(self, name: str, operator: Operator) -> _Parameter:
        field_filter = (self.name, operator)
        value = TypeAdapter(_value_type(self.kind))
        match operator:
            case Operator.ISNULL:
                text = f"true: {self.name} is null; false: it is not"
                return _Parameter(name, *_adapted(_BOOLEAN), text, field_filter)
            case Operator.LIKE | Operator.ILIKE:
                letters = (
                    "ignoring case" if operator is Operator.ILIKE else "matching case"
                )
                text = (
                    f"{self.name} contains this text, {letters}; with % or _ it is "
                    "a SQL LIKE pattern (escape character \\)"
                )
                like = TypeAdapter(LikeValue)
                return _Parameter(name, *_adapted(like), text, field_filter)
            case Operator.IN:
                element = TypeAdapter(ListedText) if self.kind is str else value
                schema = {
                    "type": "array",
                    "items": element.json_schema(),
                    "minItems": 1,
                }
                text = (
                    f"{self.name} is one of these values: repeat the parameter "
                    f"({name}=a&{name}=b), or separate values with commas "
                    f"({name}=a,b)"
                )
                read = _comma_separated(element)
                return _Parameter(
                    name, read, schema, text, field_filter, repeatable=True
                )
            case _:
                text = f"{self.name} {_COMPARISONS[operator]} this value"
                return _Parameter(name, *_adapted(value), text, field_filter)


_COMPARISONS = {
    Operator.EQ: "equals",
    Operator.NE: "differs from (null counts as different)",
    Operator.GT: "is greater than",
    Operator.GTE: "is at least",
    Operator.LT: "is less than",
    Operator.LTE: "is at most",
}


def _comma_separated(element: TypeAdapter[Any]) -> Callable[[str], tuple[Any, ...]]:
    def read(raw: str) -> tuple[Any, ...]:
        return tuple(element.validate_strings(part) for part in raw.split(","))

    return read


@dataclass
class Listing:
    """The list request of one resource: what it may be filtered and sorted by.

    `filter_fields` maps each filterable field to the type of its values (str,
    datetime, or any type pydantic reads from a string); `sort_fields` names
    the fields `order_by` accepts, each also descending with a `-` prefix.
    """

    filter_fields: Mapping[str, Any]
    sort_fields: Sequence[str]
    _parameters: dict[str, _Parameter] = field(init=False)
    _sort_values: dict[str, TypeAdapter[Any]] = field(init=False)

    def __post_init__(self) -> None:
        parameters = [*self._paging_parameters(), *self._filter_parameters()]
        self._parameters = {parameter.name: parameter for parameter in parameters}
        sort_fields = {DEFAULT_ORDERING.field, *self.sort_fields}
        self._sort_values = {name: self._sort_value(name) for name in sort_fields}

    @property
    def openapi(self) -> dict[str, Any]:
        """The route's `openapi_extra`: every parameter `parse` accepts."""
        return {"parameters": [p.openapi() for p in self._parameters.values()]}

    async def parse(self, request: Request) -> ListQuery:
        """The FastAPI dependency reading a list request (a 422 for any mistake)."""
        errors: list[dict[str, Any]] = []
        values: dict[str, Any] = {}
        for name in request.query_params:
            parameter = self._parameters.get(name)
            raws = request.query_params.getlist(name)
            if parameter is None:
                errors.append(_error(name, self._unknown(name), "extra"))
            elif len(raws) > 1 and not parameter.repeatable:
                errors.append(_error(name, "given more than once", "repeated"))
            else:
                try:
                    values[name] = parameter.read_all(raws)
                except ValidationError as exc:
                    errors.append(_error(name, exc.errors()[0]["msg"], "value_error"))
                except ValueError as exc:
                    errors.append(_error(name, str(exc), "value_error"))
        cursor = None
        if not errors and "cursor" in values:
            try:
                cursor = self._cursor(values, values["cursor"])
            except ValueError as exc:
                errors.append(_error("cursor", str(exc), "value_error"))
        if errors:
            raise RequestValidationError(errors)
        return self._query(values, cursor, request)

    def _query(
        self, values: Mapping[str, Any], cursor: Cursor | None, request: Request
    ) -> ListQuery:
        filters = []
        for name, value in values.items():
            field_filter = self._parameters[name].field_filter
            if field_filter is not None:
                filters.append(FieldFilter(*field_filter, value))
        kept = [
            (name, value)
            for name, value in request.query_params.multi_items()
            if name not in ("page", "cursor")
        ]
        return ListQuery(
            page=values.get("page", 1) if cursor is None else cursor.page,
            size=values.get("size", DEFAULT_PAGE_SIZE),
            filters=tuple(filters),
            ordering=values.get("order_by"),
            deleted=values.get("deleted", DeletedFilter.EXCLUDE),
            cursor=cursor,
            exact_total=values.get("total") is TotalMode.EXACT,
            path=request.url.path,
            link_parameters=tuple(kept),
        )

    def _cursor(
        self, values: Mapping[str, Any], raw: tuple[int, str, Any, uuid.UUID]
    ) -> Cursor:
        if "page" in values:
            raise ValueError("give a cursor or a page, not both")
        page, key, value, id = raw
        ordering: Ordering = values.get("order_by", DEFAULT_ORDERING)
        if key != ordering.key:
            raise ValueError(f"the cursor is for order_by={key}; keep its link's order")
        if value is not None:
            try:
                value = self._sort_values[ordering.field].validate_python(value)
            except ValidationError:
                raise ValueError(_NOT_A_CURSOR) from None
        return Cursor(page, ordering, value, id)

    def _sort_value(self, name: str) -> TypeAdapter[Any]:
        kind = self.filter_fields.get(name) or _ENTITY_FIELD_TYPES.get(name, Any)
        return TypeAdapter(_value_type(kind))

    def _paging_parameters(self) -> list[_Parameter]:
        page = TypeAdapter(Annotated[int, Field(ge=1, le=MAX_PAGE)])
        size = TypeAdapter(Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)])
        deleted = TypeAdapter(DeletedFilter)
        total = TypeAdapter(TotalMode)
        orderings = [f"{sign}{name}" for name in self.sort_fields for sign in ("", "-")]
        return [
            _Parameter("page", *_adapted(page), f"Page number, 1 to {MAX_PAGE}"),
            _Parameter(
                "size", *_adapted(size), f"Items per page, 1 to {MAX_PAGE_SIZE}"
            ),
            _Parameter(
                "order_by",
                self._ordering,
                {"type": "string", "enum": orderings},
                "Sort field, - prefix for descending (default: newest first)",
            ),
            _Parameter(
                "deleted",
                *_adapted(deleted),
                "Soft-deleted rows: exclude (default), include, or only them",
            ),
            _Parameter(
                "cursor",
                _read_cursor,
                {"type": "string", "pattern": r"^[A-Za-z0-9_-]+$"},
                "Where the page starts; from a page's `next` link, never with page",
            ),
            _Parameter(
                "total",
                *_adapted(total),
                f"bounded (default): count up to {COUNT_LIMIT:,} matches, past "
                "which total is a lower bound; exact: count them all (slower on "
                "large lists)",
            ),
        ]

    def _ordering(self, raw: str) -> Ordering:
        name = raw.removeprefix("-")
        if name not in self.sort_fields:
            allowed = ", ".join(self.sort_fields)
            raise ValueError(f"cannot order by {raw!r}; use one of {allowed}")
        return Ordering(name, descending=raw.startswith("-"))

    def _filter_parameters(self) -> list[_Parameter]:
        return [
            parameter
            for name, kind in self.filter_fields.items()
            for parameter in _FilterField(name, kind).parameters()
        ]

    def _unknown(self, name: str) -> str:
        field_name, _, operator = name.partition("__")
        if field_name not in self.filter_fields:
            return f"unknown query parameter {name!r}"
        if operator in TEXT_ONLY_OPERATORS:
            return f"{operator} applies to text fields only"
        return f"unknown operator {operator!r}; use {', '.join(Operator)}"


# Sort fields every Entity has, for resources that do not filter on them.
_ENTITY_FIELD_TYPES: dict[str, Any] = {"created_at": datetime, "updated_at": datetime}
_CURSOR_FIELDS: TypeAdapter[tuple[int, str, Any, uuid.UUID]] = TypeAdapter(
    tuple[Annotated[int, Field(ge=1)], str, Any, uuid.UUID]
)


_NOT_A_CURSOR = "not a cursor this service gave; follow a page's links"


def _read_cursor(raw: str) -> tuple[int, str, Any, uuid.UUID]:
    """A cursor's fields; their sense is checked against the request later."""
    try:
        decoded = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
        return _CURSOR_FIELDS.validate_json(decoded)
    except (binascii.Error, ValueError):
        raise ValueError(_NOT_A_CURSOR) from None


def list_query_dependency(
    filter_fields: Mapping[str, Any], sort_fields: Sequence[str]
) -> Callable[[Request], Awaitable[ListQuery]]:
    """The dependency of earlier versions, kept for resources written with it;
    a `Listing` also documents the parameters (pass its `openapi`)."""
    return Listing(filter_fields, sort_fields).parse


def _error(name: str, msg: str, kind: str) -> dict[str, Any]:
    return {"loc": ("query", name), "msg": msg, "type": kind}
