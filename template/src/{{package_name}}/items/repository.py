from sqlalchemy import select

from ..core.reads import BaseReads
from ..core.repository import BaseRepository
from .models import Item


class ItemRepository(BaseRepository[Item]):
    """Items in units of work (an ORM session): writes and their reads."""

    model = Item

    async def get_live_by_name(self, name: str) -> Item | None:
        statement = select(Item).where(Item.name == name, Item.deleted_at.is_(None))
        return await self.session.scalar(statement)


class ItemReads(BaseReads[Item]):
    """Items for requests that only read: a round trip per query."""

    model = Item
