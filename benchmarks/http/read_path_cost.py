"""CPU per read's database call alone, five ways, on one pooled connection.

    uv run --project <render> --no-sync python benchmarks/http/read_path_cost.py

Run with a default render's interpreter (its package is `app`). Creates, and
leaves, the database micro_bench on 127.0.0.1:5432 (user postgres). Each way
runs 2,000 reads of one item after 200, twice, alternating: the ORM or a Core
select, on a session or a connection, AUTOCOMMIT or in a transaction.
"""

import asyncio
import time

from app.core.database.session import SessionFactories
from app.items.models import Item
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import create_async_engine

SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432"
DATABASE = "micro_bench"


async def main() -> None:
    admin = create_async_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f"DROP DATABASE IF EXISTS {DATABASE}"))
        await connection.execute(text(f"CREATE DATABASE {DATABASE}"))
    await admin.dispose()
    engine = create_async_engine(f"{SERVER}/{DATABASE}", pool_size=1, max_overflow=0)
    async with engine.begin() as connection:
        await connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        await connection.run_sync(Item.metadata.create_all)
    sessions = SessionFactories.of(engine)
    async with sessions.writes() as session:
        item = Item(name="x")
        session.add(item)
        await session.commit()
    table = Item.__table__
    orm = select(Item).where(Item.id == item.id, Item.deleted_at.is_(None))
    core = select(table).where(table.c.id == item.id, table.c.deleted_at.is_(None))
    autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")

    async def orm_on_autocommit_session() -> object:
        async with sessions.reads() as session:
            return await session.scalar(orm)

    async def core_on_autocommit_session() -> object:
        async with sessions.reads() as session:
            return (await session.execute(core)).one_or_none()

    async def core_on_autocommit_connection() -> object:
        async with autocommit.connect() as connection:
            return (await connection.execute(core)).one_or_none()

    async def orm_in_a_transaction() -> object:
        async with sessions.writes() as session:
            return await session.scalar(orm)

    async def core_on_a_connection_in_a_transaction() -> object:
        async with engine.connect() as connection:
            return (await connection.execute(core)).one_or_none()

    ways = [
        orm_on_autocommit_session,
        core_on_autocommit_session,
        core_on_autocommit_connection,
        orm_in_a_transaction,
        core_on_a_connection_in_a_transaction,
    ]
    for way in ways * 2:
        for _ in range(200):
            await way()
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(2000):
            await way()
        cpu_us = (time.process_time() - cpu) / 2000 * 1e6
        wall_us = (time.perf_counter() - wall) / 2000 * 1e6
        print(f"{way.__name__}: CPU {cpu_us:.0f} us, wall {wall_us:.0f} us")
    await engine.dispose()


asyncio.run(main())
