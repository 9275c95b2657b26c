"""`alembic upgrade heads` and friends from Python, on a connection the caller owns."""

from pathlib import Path
from typing import Literal

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import create_async_engine

Direction = Literal["upgrade", "downgrade"]


def run_alembic(
    connection: Connection,
    direction: Direction,
    revision: str,
    pyproject: Path = Path("pyproject.toml"),
) -> None:
    """Run on `connection` (see migrations/env.py), configured from `pyproject`."""
    config = Config(toml_file=str(pyproject))
    config.attributes["connection"] = connection
    if direction == "upgrade":
        command.upgrade(config, revision)
    else:
        command.downgrade(config, revision)


async def migrate_to_head(database_url: URL) -> None:
    """`alembic upgrade heads` on `database_url`, as the app's start runs it."""
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(run_alembic, "upgrade", "heads")
    finally:
        await engine.dispose()
