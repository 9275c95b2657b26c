"""`Listing`: a resource's list request, parsed into a ListQuery and documented."""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import Field, TypeAdapter, ValidationError

from .cursor import DEFAULT_ORDERING, NOT_A_CURSOR, Cursor, Ordering, read_cursor
from .parameters import FilterField, Parameter, adapted, value_type
from .query import (
    COUNT_LIMIT,
    DEFAULT_PAGE_SIZE,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    TEXT_ONLY_OPERATORS,
    DeletedFilter,
    FieldFilter,
    ListQuery,
    Operator,
    TotalMode,
)


@dataclass
class Listing:
    """The list request of one resource: what it may be filtered and sorted by.

    `filter_fields` maps each filterable field to the type of its values (str,
    datetime, or any type pydantic reads from a string); `sort_fields` names
    the fields `order_by` accepts, each also descending with a `-` prefix.
    """

    filter_fields: Mapping[str, Any]
    sort_fields: Sequence[str]
    _parameters: dict[str, Parameter] = field(init=False)
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
                raise ValueError(NOT_A_CURSOR) from None
        return Cursor(page, ordering, value, id)

    def _sort_value(self, name: str) -> TypeAdapter[Any]:
        kind = self.filter_fields.get(name) or _ENTITY_FIELD_TYPES.get(name, Any)
        return TypeAdapter(value_type(kind))

    def _paging_parameters(self) -> list[Parameter]:
        page = TypeAdapter(Annotated[int, Field(ge=1, le=MAX_PAGE)])
        size = TypeAdapter(Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)])
        deleted = TypeAdapter(DeletedFilter)
        total = TypeAdapter(TotalMode)
        orderings = [f"{sign}{name}" for name in self.sort_fields for sign in ("", "-")]
        return [
            Parameter("page", *adapted(page), f"Page number, 1 to {MAX_PAGE}"),
            Parameter("size", *adapted(size), f"Items per page, 1 to {MAX_PAGE_SIZE}"),
            Parameter(
                "order_by",
                self._ordering,
                {"type": "string", "enum": orderings},
                "Sort field, - prefix for descending (default: newest first)",
            ),
            Parameter(
                "deleted",
                *adapted(deleted),
                "Soft-deleted rows: exclude (default), include, or only them",
            ),
            Parameter(
                "cursor",
                read_cursor,
                {"type": "string", "pattern": r"^[A-Za-z0-9_-]+$"},
                "Where the page starts; from a page's `next` link, never with page",
            ),
            Parameter(
                "total",
                *adapted(total),
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

    def _filter_parameters(self) -> list[Parameter]:
        return [
            parameter
            for name, kind in self.filter_fields.items()
            for parameter in FilterField(name, kind).parameters()
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


def _error(name: str, msg: str, kind: str) -> dict[str, Any]:
    return {"loc": ("query", name), "msg": msg, "type": kind}
