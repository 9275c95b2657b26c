import uuid
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..core.database import violated_constraint
from ..core.exceptions import ConflictError, NotFoundError
from ..core.listing import ListQuery, ListResult
from ..core.reads import Reads
from .models import Item
from .repository import ItemReads, ItemRepository
from .schemas import ItemCreate, ItemUpdate

UNIQUE_LIVE_NAME = "uq_items_name_live"


class ItemReader:
    """Reads of items for requests that change nothing."""

    def __init__(self, reads: Reads) -> None:
        self.items = ItemReads(reads)

    async def get(self, item_id: uuid.UUID) -> dict[str, Any]:
        item = await self.items.get(item_id)
        if item is None:
            raise _not_found(item_id)
        return item

    async def list_page(self, query: ListQuery) -> ListResult[dict[str, Any]]:
        return await self.items.page(query)


class ItemService:
    """The rules for items; each public method is one unit of work."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.items = ItemRepository(session)

    async def get(self, item_id: uuid.UUID, *, for_update: bool = False) -> Item:
        # Writes read for_update: concurrent writes of one row queue, and the
        # database decides which wins (two deletes: one 204, one 404).
        item = await self.items.get(item_id, for_update=for_update)
        if item is None:
            raise _not_found(item_id)
        return item

    async def create(self, data: ItemCreate) -> Item:
        await self._ensure_name_free(data.name)
        item = self.items.add(Item(**data.model_dump()))
        await self._commit(data.name)
        return item

    async def update(self, item_id: uuid.UUID, data: ItemUpdate) -> Item:
        item = await self.get(item_id, for_update=True)
        changes = data.model_dump(exclude_unset=True)
        new_name = changes.get("name")
        if new_name is not None and new_name != item.name:
            await self._ensure_name_free(new_name)
        self.items.update(item, changes)
        await self._commit(item.name)
        return item

    async def delete(self, item_id: uuid.UUID) -> None:
        item = await self.get(item_id, for_update=True)
        self.items.soft_delete(item)
        await self.session.commit()

    async def restore(self, item_id: uuid.UUID) -> Item:
        item = await self.items.get(item_id, include_deleted=True, for_update=True)
        if item is None:
            raise _not_found(item_id)
        if not item.is_deleted:
            raise ConflictError(f"Item {item_id} is not deleted")
        await self._ensure_name_free(item.name)
        self.items.restore(item)
        await self._commit(item.name)
        return item

    async def _ensure_name_free(self, name: str) -> None:
        if await self.items.get_live_by_name(name) is not None:
            raise _name_taken(name)

    async def _commit(self, name: str) -> None:
        # The check before a write can race another request; the partial unique
        # index is the arbiter, and its violation is the same 409.
        try:
            await self.session.commit()
        except IntegrityError as exc:
            await self.session.rollback()
            if violated_constraint(exc) == UNIQUE_LIVE_NAME:
                raise _name_taken(name) from exc
            raise


def _not_found(item_id: uuid.UUID) -> NotFoundError:
    return NotFoundError(f"Item {item_id} not found")


def _name_taken(name: str) -> ConflictError:
    return ConflictError(f"An item named {name!r} already exists")
