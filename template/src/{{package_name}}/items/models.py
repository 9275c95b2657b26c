from sqlalchemy import Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.crud.models import Entity

NAME_MAX_LENGTH = 255
DESCRIPTION_MAX_LENGTH = 2000


class Item(Entity):
    __tablename__ = "items"
    __table_args__ = (
        # Names are unique among live rows only: a deleted row's name may be
        # reused. The database enforces it, so concurrent creates cannot both win.
        Index(
            "uq_items_name_live",
            "name",
            unique=True,
            postgresql_where=text("deleted_at IS NULL"),
        ),
        # One per sort field, with id as tie-break: each serves its order, and
        # the keyset comparison of a page's cursor.
        Index("ix_items_created_at_id", "created_at", "id"),
        Index("ix_items_updated_at_id", "updated_at", "id"),
        Index("ix_items_name_id", "name", "id"),
        # Trigrams (pg_trgm) serve like/ilike substring filters on the name.
        Index(
            "ix_items_name_trgm",
            "name",
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        ),
    )

    name: Mapped[str] = mapped_column(String(NAME_MAX_LENGTH))
    description: Mapped[str | None] = mapped_column(String(DESCRIPTION_MAX_LENGTH))
