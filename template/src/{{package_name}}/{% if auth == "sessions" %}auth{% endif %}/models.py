import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, func, true
from sqlalchemy.orm import Mapped, mapped_column

from ..core.crud.clock import utc_now
from ..core.crud.ids import uuid7
from ..core.crud.models import Base
from ..users.models import User

# Sign-in's tables, and the users they sign in: models.py registers them all
# from here.
__all__ = ["LoginFailure", "Session", "User"]


class Session(Base):
    """A signed-in client. Only the SHA-256 of its token is kept: a copy of the
    table signs nobody in."""

    __tablename__ = "sessions"
    __table_args__ = (
        Index("ix_sessions_user_id", "user_id"),
        # The purge at sign-in finds expired sessions by this.
        Index("ix_sessions_expires_at", "expires_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE")
    )
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(
        default=utc_now, server_default=func.now()
    )
    last_used_at: Mapped[datetime] = mapped_column(
        default=utc_now, server_default=func.now()
    )
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)

    def __repr__(self) -> str:
        return f"Session(id={self.id!s}, user_id={self.user_id!s})"


class LoginFailure(Base):
    """A failed sign-in, or one whose password is still being checked, kept for
    the throttling window. In PostgreSQL, so the limit holds across worker
    processes and restarts."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_email_failed_at", "email", "failed_at"),
        Index("ix_login_failures_address_failed_at", "address", "failed_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    # Lower-cased, as accounts are matched.
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[datetime] = mapped_column(
        default=utc_now, server_default=func.now()
    )
    # True from the attempt's start until its password is found wrong (the
    # row stays, as a failure) or right (the row goes).
    checking: Mapped[bool] = mapped_column(default=True, server_default=true())
