"""Serves N requests for GET /items/{id} to one app, in process, one at a time.

    python request_probe.py VARIANT WARM_UP REQUESTS IDS_FILE

Run by request_cost.py with the render's interpreter, under callgrind: two
runs that differ only in REQUESTS give the instructions per request. Reads
DATABASE_URL and the render's other settings from the environment; the
render's package is `app` (the default answer).

Variants: `render`, the app as `fastapi run` serves it; `render-*`, the same
app with one part taken out; `floor`, FastAPI with nothing but the items
service's GET route (its session made in the route); `floor-*`, the floor with
one mechanism added.
"""

import asyncio
import sys
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Annotated, Any

from app.core.database import DbSession
from app.items.models import Item
from app.items.schemas import ItemRead
from app.items.service import ItemService
from app.main import create_app
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.middleware.gzip import GZipMiddleware

Message = MutableMapping[str, Any]
App = Callable[..., Awaitable[None]]


async def service_of(session: DbSession) -> ItemService:
    return ItemService(session)


async def other(value: str) -> str:
    return value


def items_router(injected: bool, routes_before: int) -> APIRouter:
    """The items GET by id with the service made in the route, or injected
    as the render's route has it: one dependency level more."""
    router = APIRouter(prefix="/items")
    for number in range(routes_before):
        router.add_api_route(f"/other-{number}/{{value}}", other, methods=["GET"])
    Service = Annotated[ItemService, Depends(service_of)]

    async def get_injected(item_id: uuid.UUID, service: Service) -> Item:
        return await service.get(item_id)

    async def get_item(item_id: uuid.UUID, request: Request) -> Item:
        async with request.app.state.session_factories.reads() as session:
            return await ItemService(session).get(item_id)

    router.add_api_route(
        "/{item_id}",
        get_injected if injected else get_item,
        methods=["GET"],
        response_model=ItemRead,
    )
    return router


def floor(
    injected: bool = False, routes_before: int = 0, nested: bool = False
) -> tuple[FastAPI, str]:
    app = FastAPI()
    router = items_router(injected, routes_before)
    if nested:
        outer = APIRouter(prefix="/api/v1")
        outer.include_router(router)
        app.include_router(outer)
        return app, "/api/v1/items/"
    app.include_router(router)
    return app, "/items/"


def without(middleware: type) -> tuple[FastAPI, str]:
    app = create_app()
    app.user_middleware = [
        entry for entry in app.user_middleware if not issubclass(entry.cls, middleware)
    ]
    return app, "/api/v1/items/"


VARIANTS: dict[str, Callable[[], tuple[FastAPI, str]]] = {
    "render": lambda: (create_app(), "/api/v1/items/"),
    "render-gzip": lambda: without(GZipMiddleware),
    "floor": floor,
    "floor+dependency-level": lambda: floor(injected=True),
    "floor+5-routes-before": lambda: floor(routes_before=5),
    "floor+nested-router": lambda: floor(nested=True),
}


async def get(app: App, path: str) -> int:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"127.0.0.1:8000"),
            (b"accept", b"*/*"),
            (b"accept-encoding", b"gzip"),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    status = 0

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def serve(variant: str, warm_up: int, requests: int, ids: list[str]) -> None:
    # The render's lifespan opens the engine and sets
    # app.state.session_factories, which the floor apps borrow.
    render = create_app()
    app, prefix = VARIANTS[variant]()
    async with render.router.lifespan_context(render):
        app.state.session_factories = render.state.session_factories
        for number in range(warm_up + requests):
            path = prefix + ids[number % len(ids)]
            status = await get(app, path)
            if status != 200:
                sys.exit(f"{variant}: GET {path} answered {status}")


def main() -> None:
    variant, warm_up, requests, ids_file = sys.argv[1:]
    with open(ids_file) as file:
        ids = file.read().split()
    try:
        import uvloop
    except ImportError:
        asyncio.run(serve(variant, int(warm_up), int(requests), ids))
    else:
        # As uvicorn serves the render.
        uvloop.run(serve(variant, int(warm_up), int(requests), ids))


if __name__ == "__main__":
    main()
