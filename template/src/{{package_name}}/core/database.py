import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.engine import URL, AdaptedConnection
from sqlalchemy.exc import DisconnectionError, IntegrityError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from .config import Settings
from .database_errors import driver_error


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


def create_session_factory(
    engine: AsyncEngine,
) -> async_sessionmaker[AsyncSession]:
    # Objects stay readable after commit, so a service can return what it saved
    # without another round trip.
    return async_sessionmaker(engine, expire_on_commit=False)


async def get_db(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request, closed (and rolled back if left open) at the end."""
    session_factory: async_sessionmaker[AsyncSession] = (
        request.app.state.session_factory
    )
    async with session_factory() as session:
        yield session


DbSession = Annotated[AsyncSession, Depends(get_db)]


def violated_constraint(error: IntegrityError) -> str | None:
    """Name of the constraint or unique index an IntegrityError reports, if any."""
    name = getattr(driver_error(error), "constraint_name", None)
    return name if isinstance(name, str) else None
