"""Requests that only read, run on asyncpg directly.

SQLAlchemy still builds and compiles every statement, from the same models and
list rules as the repositories; asyncpg runs it on a connection borrowed from
the engine's pool for that one statement, outside any transaction. A read is
one round trip, and skips the ORM session's per-request machinery, which costs
more than the query itself (docs/performance.md). Rows come back as
asyncpg Records, read by column name.

Writes, and reads inside a unit of work, keep to repositories and sessions.
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any, ClassVar, Generic, TypeVar, cast

import asyncpg
from fastapi import Depends, Request
from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.util import await_only, greenlet_spawn

from .listing import ListQuery, ListResult
from .models import Entity
from .queries import column_of, counted, paginate, sliced

EntityT = TypeVar("EntityT", bound=Entity)

_DIALECT = PGDialect_asyncpg()  # type: ignore[no-untyped-call]  # untyped upstream


@dataclass(frozen=True)
class CompiledSql:
    """A statement as asyncpg takes it: SQL with $n, and how to fill them."""

    sql: str
    names: tuple[str, ...]
    values: Mapping[str, Any]
    processors: Mapping[str, Any]

    @classmethod
    def of(cls, statement: ClauseElement) -> "CompiledSql":
        compiled = cast(
            SQLCompiler,
            statement.compile(
                dialect=_DIALECT, compile_kwargs={"render_postcompile": True}
            ),
        )
        return cls(
            sql=str(compiled),
            names=tuple(compiled.positiontup or ()),
            values=compiled.params,
            # Column types that convert values on their way in (an Enum, say).
            processors=compiled._bind_processors,
        )

    def arguments(self, values: Mapping[str, Any]) -> list[Any]:
        merged = {**self.values, **values}
        arguments = []
        for name in self.names:
            value = merged[name]
            processor = self.processors.get(name)
            arguments.append(value if processor is None else processor(value))
        return arguments


Statement = ClauseElement | CompiledSql


class Reads:
    """Runs read-only statements, each on a connection of the engine's pool."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def rows(self, statement: Statement, **values: Any) -> list[asyncpg.Record]:
        rows: list[asyncpg.Record] = await self._run("fetch", statement, values)
        return rows

    async def row(self, statement: Statement, **values: Any) -> asyncpg.Record | None:
        row: asyncpg.Record | None = await self._run("fetchrow", statement, values)
        return row

    async def value(self, statement: Statement, **values: Any) -> Any:
        return await self._run("fetchval", statement, values)

    async def _run(
        self, method: str, statement: Statement, values: Mapping[str, Any]
    ) -> Any:
        if not isinstance(statement, CompiledSql):
            statement = CompiledSql.of(statement)
        return await self._run_compiled(method, statement, statement.arguments(values))

    async def _run_compiled(
        self, method: str, statement: CompiledSql, arguments: list[Any]
    ) -> Any:
        # SQLAlchemy's pool is synchronous code that runs in a greenlet; one
        # greenlet for the checkout, the statement and the return, since each
        # switch into one costs about as much as a short query.
        return await greenlet_spawn(self._run_pooled, method, statement, arguments)

    def _run_pooled(
        self, method: str, statement: CompiledSql, arguments: list[Any]
    ) -> Any:
        pooled = self._checkout()
        connection: asyncpg.Connection = pooled.driver_connection
        fit_for_reuse = False
        try:
            result = await_only(_execute(connection, method, statement, arguments))
            fit_for_reuse = True
            return result
        except DBAPIError as exc:
            # An error the server answered with leaves the connection fine.
            fit_for_reuse = isinstance(exc.orig, asyncpg.PostgresError)
            raise
        finally:
            if fit_for_reuse:
                pooled.close()
            else:
                # Lost, timed out or cancelled mid-statement.
                connection.terminate()
                pooled.invalidate()

    def _checkout(self) -> PoolProxiedConnection:
        dbapi = self.engine.dialect.loaded_dbapi
        try:
            return self.engine.sync_engine.raw_connection()
        except dbapi.Error as exc:
            # Wrapped as Engine.connect() would, for the same handlers.
            raise DBAPIError.instance(
                None, None, exc, dbapi.Error, dialect=self.engine.dialect
            ) from exc


async def _execute(
    connection: asyncpg.Connection,
    method: str,
    statement: CompiledSql,
    arguments: list[Any],
) -> Any:
    try:
        return await getattr(connection, method)(statement.sql, *arguments)
    except asyncpg.PostgresError as exc:
        # As the repositories' errors look: handlers read the SQLSTATE.
        raise DBAPIError(statement.sql, None, exc) from exc
    except asyncpg.InterfaceError as exc:
        raise OperationalError(statement.sql, None, exc) from exc


class ConnectionReads(Reads):
    """Reads on one connection, each in a savepoint of its open transaction:
    how the tests' requests read the test's uncommitted rows."""

    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection

    async def _run_compiled(
        self, method: str, statement: CompiledSql, arguments: list[Any]
    ) -> Any:
        async with self.connection.transaction():
            return await _execute(self.connection, method, statement, arguments)


def reads_of(request: Request) -> Reads:
    """The app's Reads: set at startup, or by the tests' fixtures."""
    reads: Reads = request.app.state.reads
    return reads


async def get_reads(request: Request) -> Reads:
    return reads_of(request)


ReadsDep = Annotated[Reads, Depends(get_reads)]


class BaseReads(Generic[EntityT]):
    """Read-only queries of one resource: a live row by id, and list pages.

    A resource's reads subclass it and set `model`, as its repository does.
    Rows are dicts keyed by the model's attribute names, ready for a schema."""

    model: type[EntityT]
    _get_live: ClassVar[CompiledSql]
    # (attribute, column) names, for rows keyed as the model is.
    _fields: ClassVar[tuple[tuple[str, str], ...]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "model" in cls.__dict__:
            columns = cls.model.__mapper__.columns.items()
            cls._fields = tuple((key, column.name) for key, column in columns)
            # Built and compiled once: a read by id costs no SQL compiling.
            table = cls.model.__table__
            statement = select(table).where(
                column_of(cls.model, "id") == bindparam("id"),
                column_of(cls.model, "deleted_at").is_(None),
            )
            cls._get_live = CompiledSql.of(statement)

    def __init__(self, reads: Reads) -> None:
        self.reads = reads

    async def get(self, id: uuid.UUID) -> dict[str, Any] | None:
        """The live row with this id."""
        record = await self.reads.row(self._get_live, id=id)
        return None if record is None else self._row(record)

    async def page(self, query: ListQuery) -> ListResult[dict[str, Any]]:
        """The page `query` asks for, its total, and where the next one starts
        (see `queries.paginate`)."""
        table = self.model.__table__
        records = await self.reads.rows(sliced(self.model, select(table), query))
        rows = [self._row(record) for record in records]
        return await paginate(query, rows, partial(self.count, query), _field)

    async def count(self, query: ListQuery, limit: int | None = None) -> int:
        counted_rows: int = await self.reads.value(counted(self.model, query, limit))
        return counted_rows

    def _row(self, record: asyncpg.Record) -> dict[str, Any]:
        return {key: record[column] for key, column in self._fields}


def _field(row: dict[str, Any], name: str) -> Any:
    return row[name]
