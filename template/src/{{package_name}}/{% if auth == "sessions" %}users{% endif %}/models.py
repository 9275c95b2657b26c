import uuid
from datetime import datetime

from sqlalchemy import Index, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.crud.clock import utc_now
from ..core.crud.ids import uuid7
from ..core.crud.models import Base

EMAIL_MAX_LENGTH = 254


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        # One account per address, whatever its case: the database decides
        # between two concurrent registrations.
        Index("uq_users_email_lower", text("lower(email)"), unique=True),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    email: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH))
    # Argon2id, in its PHC string form (parameters and salt included).
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(default=True, server_default="true")
    created_at: Mapped[datetime] = mapped_column(
        default=utc_now, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        default=utc_now, onupdate=utc_now, server_default=func.now()
    )

    def __repr__(self) -> str:
        return f"User(id={self.id!s}, email={self.email!r})"
