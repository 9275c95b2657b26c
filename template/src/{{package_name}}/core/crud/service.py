"""The rules every resource shares: each public method is one unit of work.

A resource's service subclasses `BaseService` and adds only its own rules,
in the hooks below (`check_create`, `check_update`, `check_restore`) and by
naming the conflict a violated constraint means (`conflict_for`).
"""

import uuid
from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..database.errors import violated_constraint
from ..exceptions import ConflictError, NotFoundError
from ..listing import ListQuery, ListResult
from .models import Entity
from .repository import BaseRepository

EntityT = TypeVar("EntityT", bound=Entity)
CreateT = TypeVar("CreateT", bound=BaseModel)
UpdateT = TypeVar("UpdateT", bound=BaseModel)


class BaseService(Generic[EntityT, CreateT, UpdateT]):
    def __init__(self, session: AsyncSession, repository: BaseRepository[EntityT]):
        self.session = session
        self.repository = repository
        self.model = repository.model
        # What the messages call one row: "Item 0190... not found".
        self.noun = self.model.__name__

    async def get(self, id: uuid.UUID, *, for_update: bool = False) -> EntityT:
        # Writes read for_update: concurrent writes of one row queue, and the
        # database decides which wins (two deletes: one 204, one 404).
        entity = await self.repository.get(id, for_update=for_update)
        if entity is None:
            raise self.not_found(id)
        return entity

    async def page(self, query: ListQuery) -> ListResult[EntityT]:
        return await self.repository.page(query)

    async def create(self, data: CreateT) -> EntityT:
        values = data.model_dump()
        await self.check_create(values)
        entity = self.repository.add(self.model(**values))
        await self.commit(entity)
        return entity

    async def update(self, id: uuid.UUID, data: UpdateT) -> EntityT:
        entity = await self.get(id, for_update=True)
        changes = data.model_dump(exclude_unset=True)
        await self.check_update(entity, changes)
        self.repository.update(entity, changes)
        await self.commit(entity)
        return entity

    async def delete(self, id: uuid.UUID) -> None:
        entity = await self.get(id, for_update=True)
        self.repository.soft_delete(entity)
        await self.session.commit()

    async def restore(self, id: uuid.UUID) -> EntityT:
        entity = await self.repository.get(id, include_deleted=True, for_update=True)
        if entity is None:
            raise self.not_found(id)
        if not entity.is_deleted:
            raise ConflictError(f"{self.noun} {id} is not deleted")
        await self.check_restore(entity)
        self.repository.restore(entity)
        await self.commit(entity)
        return entity

    # A resource's own rules: each raises an AppError to refuse the change.

    async def check_create(self, values: Mapping[str, Any]) -> None:
        """Before a row with these values is added."""

    async def check_update(self, entity: EntityT, changes: Mapping[str, Any]) -> None:
        """Before `changes` (the fields the request sent) are applied."""

    async def check_restore(self, entity: EntityT) -> None:
        """Before a deleted row comes back."""

    def conflict_for(
        self, constraint: str | None, values: Mapping[str, Any]
    ) -> ConflictError | None:
        """The 409 that violating `constraint` (a constraint or unique index
        name) means for a row of these values, if it means one."""
        return None

    # Building blocks

    async def commit(self, entity: EntityT) -> None:
        # A check before a write can race another request; a constraint is the
        # arbiter, and its violation is the same 409 as the check's.
        # Read now: a failed commit expires what the entity holds.
        columns = inspect(self.model).column_attrs
        values = {column.key: getattr(entity, column.key) for column in columns}
        try:
            await self.session.commit()
        except IntegrityError as exc:
            await self.session.rollback()
            conflict = self.conflict_for(violated_constraint(exc), values)
            if conflict is not None:
                raise conflict from exc
            raise

    def not_found(self, id: uuid.UUID) -> NotFoundError:
        return NotFoundError(f"{self.noun} {id} not found")
