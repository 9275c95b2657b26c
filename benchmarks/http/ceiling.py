"""The items endpoints with nothing between uvicorn and asyncpg: the ceiling.

A bare ASGI app, no framework, no validation library: it runs the SQL a
well-written service needs for each request on a pool of 5 connections (the
render's default pool size) and writes the same JSON with orjson. What it
serves per second is what uvicorn, asyncpg and PostgreSQL allow on this
machine; run.py reports the other apps as a fraction of it.

    uv run --project <render> --no-sync --with orjson \
        uvicorn --app-dir benchmarks/http ceiling:app --port 8000 --no-access-log

Reads DATABASE_URL (postgresql:// or postgresql+asyncpg://).
"""

import math
import os
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import UTC, datetime
from typing import Any

import asyncpg
import orjson
from seed import uuid7_at

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

PREFIX = "/api/v1/items"
PAGE_SIZE = 20
COUNT_LIMIT = 10_000
COLUMNS = "id, name, description, created_at, updated_at, deleted_at"
GET = f"SELECT {COLUMNS} FROM items WHERE id = $1 AND deleted_at IS NULL"
NAME_TAKEN = "SELECT 1 FROM items WHERE name = $1 AND deleted_at IS NULL"
INSERT = (
    "INSERT INTO items (id, name, description, created_at, updated_at)"
    f" VALUES ($1, $2, $3, $4, $4) RETURNING {COLUMNS}"
)
LOCK = f"{GET} FOR UPDATE"
UPDATE = (
    "UPDATE items SET description = $2, updated_at = $3 WHERE id = $1"
    f" RETURNING {COLUMNS}"
)
PAGE = (
    f"SELECT {COLUMNS} FROM items WHERE deleted_at IS NULL"
    f" ORDER BY created_at DESC, id DESC LIMIT {PAGE_SIZE + 1}"
)
COUNT = (
    "SELECT count(*) FROM"
    f" (SELECT 1 FROM items WHERE deleted_at IS NULL LIMIT {COUNT_LIMIT + 1}) s"
)

pool: asyncpg.Pool | None = None


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await lifespan(receive, send)
        return
    status, payload = await route(scope, receive)
    # default=str: asyncpg's UUID is its own subclass, which orjson refuses.
    # OPT_UTC_Z: timestamps end in Z, as Pydantic writes them.
    body = orjson.dumps(payload, default=str, option=orjson.OPT_UTC_Z)
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def lifespan(receive: Receive, send: Send) -> None:
    global pool
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            url = os.environ["DATABASE_URL"].replace("+asyncpg", "", 1)
            pool = await asyncpg.create_pool(
                url, min_size=5, max_size=5, reset=keep_session_state
            )
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            if pool is not None:
                await pool.close()
            await send({"type": "lifespan.shutdown.complete"})
            return


async def route(scope: Scope, receive: Receive) -> tuple[int, Any]:
    method, path = scope["method"], scope["path"]
    if path == "/healthz":
        return 200, {"status": "ok"}
    if path == PREFIX:
        if method == "GET":
            return await list_items()
        if method == "POST":
            return await create_item(await read_json(receive))
    elif path.startswith(PREFIX + "/"):
        try:
            item_id = uuid.UUID(path.removeprefix(PREFIX + "/"))
        except ValueError:
            return 422, {"detail": "not an id"}
        if method == "GET":
            return await get_item(item_id)
        if method == "PATCH":
            return await update_item(item_id, await read_json(receive))
    return 404, {"detail": "Not Found"}


async def read_json(receive: Receive) -> Any:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return None


async def keep_session_state(connection: asyncpg.Connection) -> None:
    # By default asyncpg's pool sends RESET ALL, UNLISTEN *, CLOSE ALL and an
    # advisory unlock on every release: a second round trip per request. This
    # app changes no session state, and the render's pool (SQLAlchemy's) only
    # rolls back an open transaction, so the ceiling skips it too.
    pass


def connections() -> asyncpg.Pool:
    assert pool is not None, "used before the lifespan started"
    return pool


async def get_item(item_id: uuid.UUID) -> tuple[int, Any]:
    row = await connections().fetchrow(GET, item_id)
    if row is None:
        return 404, {"detail": "Item not found"}
    return 200, dict(row)


async def create_item(data: Any) -> tuple[int, Any]:
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        return 422, {"detail": "name is required"}
    now = datetime.now(UTC)
    try:
        async with connections().acquire() as connection, connection.transaction():
            if await connection.fetchval(NAME_TAKEN, data["name"]):
                return 409, {"detail": "name taken"}
            row = await connection.fetchrow(
                INSERT, uuid7_at(now), data["name"], data.get("description"), now
            )
    except asyncpg.UniqueViolationError:
        # Another request took the name between the check and the insert.
        return 409, {"detail": "name taken"}
    return 201, dict(row)


async def update_item(item_id: uuid.UUID, data: Any) -> tuple[int, Any]:
    if not isinstance(data, dict) or not isinstance(data.get("description"), str):
        return 422, {"detail": "description is required"}
    async with connections().acquire() as connection, connection.transaction():
        if await connection.fetchrow(LOCK, item_id) is None:
            return 404, {"detail": "Item not found"}
        row = await connection.fetchrow(
            UPDATE, item_id, data["description"], datetime.now(UTC)
        )
    return 200, dict(row)


async def list_items() -> tuple[int, Any]:
    async with connections().acquire() as connection:
        rows = await connection.fetch(PAGE)
        total = await connection.fetchval(COUNT)
    return 200, {
        "items": [dict(row) for row in rows[:PAGE_SIZE]],
        "total": total,
        "page": 1,
        "size": PAGE_SIZE,
        "pages": math.ceil(total / PAGE_SIZE),
    }
