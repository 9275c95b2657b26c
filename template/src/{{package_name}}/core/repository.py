"""SQL for any `Entity`: CRUD, lists, bulk writes and soft delete.

A resource's repository subclasses `BaseRepository`, sets `model`, and adds the
queries only it needs. Repositories never commit: the service decides when a
unit of work ends.
"""

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar, cast

from sqlalchemy import ColumnElement, CursorResult, Select, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from .clock import utc_now
from .listing import DeletedFilter, FieldFilter, ListQuery, Operator
from .models import Entity

EntityT = TypeVar("EntityT", bound=Entity)
SelectT = TypeVar("SelectT", bound=Select[Any])


class BaseRepository(Generic[EntityT]):
    model: type[EntityT]

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # Reads

    async def get(
        self, id: uuid.UUID, *, include_deleted: bool = False, for_update: bool = False
    ) -> EntityT | None:
        """The row with this id. `for_update` locks it until the unit of work
        ends: a concurrent writer of the same row waits, then sees this one's
        result (a delete racing a delete finds the row gone)."""
        statement = select(self.model).where(self.model.id == id)
        if not include_deleted:
            statement = statement.where(self.model.deleted_at.is_(None))
        if for_update:
            # populate_existing: a copy already in the session is refreshed
            # from the locked row, not trusted.
            statement = statement.with_for_update().execution_options(
                populate_existing=True
            )
        return await self.session.scalar(statement)

    async def list_page(self, query: ListQuery) -> Sequence[EntityT]:
        statement = (
            self._filtered(select(self.model), query)
            .order_by(*self._order_by(query))
            .offset(query.offset)
            .limit(query.size)
        )
        return (await self.session.scalars(statement)).all()

    async def count(self, query: ListQuery) -> int:
        # Kept apart from `list`: an exact count is the costly part of a page on
        # large tables, and a subclass may replace it with an estimate.
        statement = self._filtered(select(func.count()).select_from(self.model), query)
        return await self.session.scalar(statement) or 0

    # Writes

    def add(self, entity: EntityT) -> EntityT:
        self.session.add(entity)
        return entity

    async def create_many(self, rows: Sequence[Mapping[str, Any]]) -> Sequence[EntityT]:
        if not rows:
            return []
        statement = insert(self.model).returning(
            self.model, sort_by_parameter_order=True
        )
        return (await self.session.scalars(statement, list(rows))).all()

    def update(self, entity: EntityT, values: Mapping[str, Any]) -> EntityT:
        for field, value in values.items():
            setattr(entity, field, value)
        # Set even when no value changed, so every accepted update moves it.
        entity.updated_at = utc_now()
        return entity

    async def update_many(
        self, ids: Iterable[uuid.UUID], values: Mapping[str, Any]
    ) -> int:
        """Update live rows by id; returns how many changed."""
        return await self._update_live(ids, dict(values))

    def soft_delete(self, entity: EntityT) -> None:
        entity.deleted_at = utc_now()

    def restore(self, entity: EntityT) -> None:
        entity.deleted_at = None

    async def soft_delete_many(self, ids: Iterable[uuid.UUID]) -> int:
        """Soft-delete live rows by id; returns how many were deleted."""
        return await self._update_live(ids, {"deleted_at": utc_now()})

    # Building blocks

    def _column(self, field: str) -> InstrumentedAttribute[Any]:
        column: InstrumentedAttribute[Any] = getattr(self.model, field)
        return column

    def _filtered(self, statement: SelectT, query: ListQuery) -> SelectT:
        deleted_at = self.model.deleted_at
        if query.deleted is DeletedFilter.EXCLUDE:
            statement = statement.where(deleted_at.is_(None))
        elif query.deleted is DeletedFilter.ONLY:
            statement = statement.where(deleted_at.is_not(None))
        for field_filter in query.filters:
            statement = statement.where(self._condition(field_filter))
        return statement

    def _condition(self, field_filter: FieldFilter) -> ColumnElement[bool]:
        column = self._column(field_filter.field)
        value = field_filter.value
        condition: ColumnElement[bool]
        match field_filter.operator:
            case Operator.EQ:
                condition = column == value
            case Operator.NE:
                # NULL counts as different, as a user asking "not X" expects.
                condition = column.is_distinct_from(value)
            case Operator.IN:
                condition = column.in_(value)
            case Operator.LIKE:
                condition = column.like(value)
            case Operator.ILIKE:
                condition = column.ilike(value)
            case Operator.GT:
                condition = column > value
            case Operator.GTE:
                condition = column >= value
            case Operator.LT:
                condition = column < value
            case Operator.LTE:
                condition = column <= value
            case Operator.ISNULL:
                condition = column.is_(None) if value else column.is_not(None)
        return condition

    def _order_by(self, query: ListQuery) -> list[ColumnElement[Any]]:
        ordering = query.ordering
        if ordering is None:
            return [self.model.created_at.desc(), self.model.id.desc()]
        column = self._column(ordering.field)
        if ordering.descending:
            return [column.desc(), self.model.id.desc()]
        return [column.asc(), self.model.id.asc()]

    async def _update_live(
        self, ids: Iterable[uuid.UUID], values: dict[str, Any]
    ) -> int:
        statement = (
            update(self.model)
            .where(self.model.id.in_(list(ids)), self.model.deleted_at.is_(None))
            .values(values)
        )
        result = cast(CursorResult[Any], await self.session.execute(statement))
        return result.rowcount
