"""SQL for any `Entity`: CRUD, lists, bulk writes and soft delete.

A resource's repository subclasses `BaseRepository`, sets `model`, and adds the
queries only it needs. Repositories never commit: the service decides when a
unit of work ends.
"""

import uuid
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import Any, Generic, TypeVar, cast

from sqlalchemy import CursorResult, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..listing import ListQuery, ListResult
from ..listing.sql import counted, paginate, sliced
from .clock import utc_now
from .models import Entity

EntityT = TypeVar("EntityT", bound=Entity)


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

    async def page(self, query: ListQuery) -> ListResult[EntityT]:
        """The page `query` asks for, its total, and where the next one starts
        (see `listing.sql.paginate`)."""
        statement = sliced(self.model, select(self.model), query)
        rows = (await self.session.scalars(statement)).all()
        return await paginate(query, rows, partial(self.count, query), getattr)

    async def count(self, query: ListQuery, limit: int | None = None) -> int:
        """How many rows match `query`, counting no further than `limit` + 1."""
        return await self.session.scalar(counted(self.model, query, limit)) or 0

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
