from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..auth.passwords import Passwords
from ..core.database import violated_constraint
from ..core.exceptions import ConflictError
from .models import User
from .repository import UserRepository
from .schemas import UserCreate

UNIQUE_EMAIL = "uq_users_email_lower"


class UserService:
    def __init__(self, session: AsyncSession, passwords: Passwords) -> None:
        self.session = session
        self.passwords = passwords
        self.users = UserRepository(session)

    async def register(self, data: UserCreate) -> User:
        # Hashed first, with no transaction open: the pool's connections are
        # not held while the hashing threads work.
        password_hash = await self.passwords.hash(data.password.get_secret_value())
        if await self.users.get_by_email(data.email) is not None:
            raise _email_taken()
        user = self.users.add(User(email=data.email, password_hash=password_hash))
        # Two registrations of one address can both pass the check above; the
        # unique index decides, and the loser gets the same 409.
        try:
            await self.session.commit()
        except IntegrityError as exc:
            await self.session.rollback()
            if violated_constraint(exc) == UNIQUE_EMAIL:
                raise _email_taken() from exc
            raise
        return user


def _email_taken() -> ConflictError:
    # The address is not echoed: responses may be logged by proxies.
    return ConflictError("An account with this email already exists")
