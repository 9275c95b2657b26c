from sqlalchemy import select

from ..core.crud.repository import BaseRepository
from .models import Item


class ItemRepository(BaseRepository[Item]):
    model = Item

    async def get_live_by_name(self, name: str) -> Item | None:
        statement = select(Item).where(Item.name == name, Item.deleted_at.is_(None))
        return await self.session.scalar(statement)
