import uuid
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, AdaptedConnection
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from ..config import Settings


def create_engine(settings: Settings, database_url: URL | None = None) -> AsyncEngine:
    """The engine for `database_url` (default: DATABASE_URL), pooled per settings."""
    connect_args: dict[str, Any] = {
        "timeout": settings.database_connect_timeout,
        # Bounds every round trip on the client side, so a database that stops
        # answering (frozen, partitioned) costs a request seconds, not minutes.
        "command_timeout": settings.database_command_timeout,
    }
    if settings.database_pgbouncer:
        # PgBouncer in transaction mode may run each transaction on another server
        # connection, where a statement prepared earlier does not exist.
        connect_args |= {
            "statement_cache_size": 0,
            "prepared_statement_cache_size": 0,
            "prepared_statement_name_func": _unique_statement_name,
        }
    engine = create_async_engine(
        database_url or settings.require_database_url(),
        echo=settings.database_echo,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
        pool_timeout=settings.database_pool_timeout,
        pool_recycle=settings.database_pool_recycle,
        pool_pre_ping=settings.database_pool_pre_ping,
        connect_args=connect_args,
    )
    event.listen(engine.sync_engine, "checkout", _replace_if_closed)
    return engine


def _replace_if_closed(
    dbapi_connection: AdaptedConnection, record: Any, proxy: Any
) -> None:
    # Free, unlike pool_pre_ping's round trip: a connection whose socket the
    # server closed (a restart, an idle timeout) is replaced before any use.
    if dbapi_connection.driver_connection.is_closed():
        raise DisconnectionError


def _unique_statement_name() -> str:
    return f"__asyncpg_{uuid.uuid4().hex}__"
