from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ..core.crud.service import BaseService
from ..core.exceptions import ConflictError
from .models import Item
from .repository import ItemRepository
from .schemas import ItemCreate, ItemUpdate

UNIQUE_LIVE_NAME = "uq_items_name_live"


class ItemService(BaseService[Item, ItemCreate, ItemUpdate]):
    """Items' own rule: a name belongs to one live item at a time. The rest
    (get, list, create, update, soft delete, restore) is BaseService's."""

    repository: ItemRepository

    def __init__(self, session: AsyncSession) -> None:
        super().__init__(session, ItemRepository(session))

    async def check_create(self, values: Mapping[str, Any]) -> None:
        await self._ensure_name_free(values["name"])

    async def check_update(self, item: Item, changes: Mapping[str, Any]) -> None:
        new_name = changes.get("name")
        if new_name is not None and new_name != item.name:
            await self._ensure_name_free(new_name)

    async def check_restore(self, item: Item) -> None:
        await self._ensure_name_free(item.name)

    def conflict_for(
        self, constraint: str | None, values: Mapping[str, Any]
    ) -> ConflictError | None:
        # The check before a write can race another request's; the partial
        # unique index decides, with the same 409.
        if constraint == UNIQUE_LIVE_NAME:
            return _name_taken(values["name"])
        return None

    async def _ensure_name_free(self, name: str) -> None:
        if await self.repository.get_live_by_name(name) is not None:
            raise _name_taken(name)


def _name_taken(name: str) -> ConflictError:
    return ConflictError(f"An item named {name!r} already exists")
