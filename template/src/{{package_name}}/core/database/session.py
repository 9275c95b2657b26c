"""One ORM session per request, through `Depends(get_db)`.

Tests replace it with `app.dependency_overrides[get_db]`.
"""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

# RFC 9110's safe methods that routes serve: they change nothing.
READ_ONLY_METHODS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True)
class SessionFactories:
    """Sessions for requests that write, and for requests that only read."""

    writes: async_sessionmaker[AsyncSession]
    reads: async_sessionmaker[AsyncSession]

    @classmethod
    def of(cls, engine: AsyncEngine) -> "SessionFactories":
        # Objects stay readable after commit, so a service can return what it
        # saved without another round trip.
        writes = async_sessionmaker(engine, expire_on_commit=False)
        # A read runs each statement on its own (AUTOCOMMIT): one round trip,
        # with no BEGIN before it or ROLLBACK after. It sees what it would in a
        # transaction: under READ COMMITTED, PostgreSQL's default, every
        # statement of a transaction takes its own snapshot too.
        autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")
        reads = async_sessionmaker(autocommit, expire_on_commit=False)
        return cls(writes=writes, reads=reads)

    def for_request(self, request: Request) -> AsyncSession:
        if request.method in READ_ONLY_METHODS:
            return self.reads()
        return self.writes()


async def get_db(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's session, closed (and rolled back if left open) at the end.
    Every dependency of one request that asks for it gets the same session, so
    a request uses one connection of the pool."""
    factories: SessionFactories = request.app.state.session_factories
    async with factories.for_request(request) as session:
        yield session


DbSession = Annotated[AsyncSession, Depends(get_db)]
