"""The SQL a list request becomes, for any `Entity`: filters, order, keyset
cursor, and the page with its total. `BaseRepository.page` runs it."""

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import (
    Column,
    ColumnElement,
    Select,
    and_,
    any_,
    func,
    literal,
    or_,
    select,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY

from ..crud.models import Entity
from .cursor import Cursor, Ordering
from .query import (
    COUNT_LIMIT,
    DeletedFilter,
    FieldFilter,
    ListQuery,
    ListResult,
    Operator,
)

SelectT = TypeVar("SelectT", bound=Select[Any])
RowT = TypeVar("RowT")


def column_of(model: type[Entity], field: str) -> Column[Any]:
    """The table's column for a mapped attribute: what Core statements use."""
    column: Column[Any] = model.__mapper__.columns[field]
    return column


def filtered(model: type[Entity], statement: SelectT, query: ListQuery) -> SelectT:
    deleted_at = column_of(model, "deleted_at")
    if query.deleted is DeletedFilter.EXCLUDE:
        statement = statement.where(deleted_at.is_(None))
    elif query.deleted is DeletedFilter.ONLY:
        statement = statement.where(deleted_at.is_not(None))
    for field_filter in query.filters:
        statement = statement.where(condition(model, field_filter))
    return statement


def condition(model: type[Entity], field_filter: FieldFilter) -> ColumnElement[bool]:
    column = column_of(model, field_filter.field)
    value = field_filter.value
    result: ColumnElement[bool]
    match field_filter.operator:
        case Operator.EQ:
            result = column == value
        case Operator.NE:
            # NULL counts as different, as a user asking "not X" expects.
            result = column.is_distinct_from(value)
        case Operator.IN:
            # One array parameter, however many values: one statement to prepare.
            result = column == any_(literal(list(value), ARRAY(column.type)))
        case Operator.LIKE:
            result = column.like(value)
        case Operator.ILIKE:
            result = column.ilike(value)
        case Operator.GT:
            result = column > value
        case Operator.GTE:
            result = column >= value
        case Operator.LT:
            result = column < value
        case Operator.LTE:
            result = column <= value
        case Operator.ISNULL:
            result = column.is_(None) if value else column.is_not(None)
    return result


def ordered(model: type[Entity], ordering: Ordering) -> list[ColumnElement[Any]]:
    column, id = column_of(model, ordering.field), column_of(model, "id")
    if ordering.descending:
        return [column.desc(), id.desc()]
    return [column.asc(), id.asc()]


def after(model: type[Entity], cursor: Cursor) -> ColumnElement[bool]:
    """Rows past the cursor in its order. PostgreSQL puts NULLs last going up
    and first going down; the row comparison is what an index on (field, id)
    serves."""
    column, id = column_of(model, cursor.ordering.field), column_of(model, "id")
    if cursor.ordering.descending:
        if cursor.value is None:
            return or_(and_(column.is_(None), id < cursor.id), column.is_not(None))
        return tuple_(column, id) < tuple_(cursor.value, cursor.id)
    if cursor.value is None:
        return and_(column.is_(None), id > cursor.id)
    beyond = tuple_(column, id) > tuple_(cursor.value, cursor.id)
    return or_(beyond, column.is_(None)) if column.nullable else beyond


def sliced(model: type[Entity], statement: SelectT, query: ListQuery) -> SelectT:
    """`statement` filtered, ordered and cut to the page (one row more, to
    know whether another page follows)."""
    statement = filtered(model, statement, query)
    if query.cursor is None:
        statement = statement.offset(query.offset)
    else:
        statement = statement.where(after(model, query.cursor))
    return statement.order_by(*ordered(model, query.sort)).limit(query.size + 1)


def counted(model: type[Entity], query: ListQuery, limit: int | None) -> Select[Any]:
    """How many rows match `query`, counting no further than `limit` + 1."""
    matching = filtered(model, select(column_of(model, "id")), query)
    if limit is not None:
        matching = matching.limit(limit + 1)
    return select(func.count()).select_from(matching.subquery())


async def paginate(
    query: ListQuery,
    rows: Sequence[RowT],
    count: Callable[[int | None], Awaitable[int]],
    value_of: Callable[[RowT, str], Any],
) -> ListResult[RowT]:
    """The page from the rows `sliced` found, with its total and next cursor.

    The total is exact up to COUNT_LIMIT matches (always, with
    `query.exact_total`), and past it a lower bound, marked as such. A list
    that ends on this page needs no count at all."""
    items, more = rows[: query.size], len(rows) > query.size
    next_cursor = None
    if more:
        last, sort = items[-1], query.sort
        value = value_of(last, sort.field)
        next_cursor = Cursor(query.page + 1, sort, value, value_of(last, "id"))
    if query.cursor is None and not more and (items or query.page == 1):
        return ListResult(items, query.offset + len(items), True, next_cursor)
    limit = None if query.exact_total else COUNT_LIMIT
    counted = await count(limit)
    if limit is None or counted <= limit:
        return ListResult(items, counted, True, next_cursor)
    # Rows before this page exist only if this page has some.
    seen = (
        query.offset + len(items) + int(more) if items and query.cursor is None else 0
    )
    return ListResult(items, max(limit, seen), False, next_cursor)
