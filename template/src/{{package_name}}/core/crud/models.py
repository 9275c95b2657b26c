import uuid
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import Connection, DateTime, MetaData, event, func, text
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from .clock import utc_now
from .ids import uuid7

# Stable constraint and index names, so migrations can refer to them and
# autogenerate does not see spurious renames.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _created_at(context: DefaultExecutionContext) -> datetime:
    # A new row's updated_at equals its created_at, to the microsecond.
    created_at: datetime = (context.current_parameters or {})["created_at"]
    return created_at


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: DateTime(timezone=True)}


@event.listens_for(Base.metadata, "before_create")
def _create_extensions(target: MetaData, connection: Connection, **kw: Any) -> None:
    # Trigram indexes (like/ilike filters) need pg_trgm. Migrations create it;
    # this makes `create_all` do the same.
    connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))


class Entity(Base):
    """A table row with a UUIDv7 key, timestamps and soft delete.

    Every resource's model derives from it; `BaseRepository` relies on these
    columns.
    """

    __abstract__ = True

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    created_at: Mapped[datetime] = mapped_column(
        default=utc_now, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        default=_created_at, onupdate=utc_now, server_default=func.now()
    )
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None
