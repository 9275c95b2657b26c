"""Index every sort order and substring filters of items.

Revision ID: template_0002
Revises: 0001
Create Date: 2026-11-22

Lists follow keyset cursors, which an index on (sort field, id) serves, and
like/ilike filters on the name use trigrams. On a large table, each index build
blocks writes to it while it runs; to avoid that, create them beforehand with
CREATE INDEX CONCURRENTLY and the same names, which this migration then keeps.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "template_0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A trusted extension since PostgreSQL 13: the database's owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index(
        "ix_items_updated_at_id", "items", ["updated_at", "id"], if_not_exists=True
    )
    op.create_index("ix_items_name_id", "items", ["name", "id"], if_not_exists=True)
    op.create_index(
        "ix_items_name_trgm",
        "items",
        ["name"],
        postgresql_using="gin",
        postgresql_ops={"name": "gin_trgm_ops"},
        if_not_exists=True,
    )


def downgrade() -> None:
    # pg_trgm stays: other indexes may use it by now.
    op.drop_index("ix_items_name_trgm", table_name="items")
    op.drop_index("ix_items_name_id", table_name="items")
    op.drop_index("ix_items_updated_at_id", table_name="items")
