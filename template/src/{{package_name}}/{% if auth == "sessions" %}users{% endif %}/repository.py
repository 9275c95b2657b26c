import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import User


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: uuid.UUID) -> User | None:
        return await self.session.get(User, user_id)

    async def get_by_email(self, email: str) -> User | None:
        """The account of this address, in any case (as the unique index has it)."""
        statement = select(User).where(func.lower(User.email) == email.lower())
        return await self.session.scalar(statement)

    def add(self, user: User) -> User:
        self.session.add(user)
        return user
