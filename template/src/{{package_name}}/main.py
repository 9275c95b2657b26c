from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware

from .api import api_router
from .core import health
from .core.access_log import AccessLogMiddleware
from .core.body_limit import BodySizeLimitMiddleware
from .core.config import Settings, get_settings
from .core.database import create_engine, create_session_factory
from .core.embedded_database import embedded_database
from .core.errors import (
    document_problems,
    problem_responses,
    register_error_handlers,
)
from .core.logs import configure_logging
from .core.migrations import migrate_to_head
from .core.reads import Reads
from .core.request_id import REQUEST_ID_HEADER, RequestIdMiddleware
from .core.unexpected_errors import UnexpectedErrorMiddleware


class ServiceApp(FastAPI):
    def openapi(self) -> dict[str, Any]:
        first_time = self.openapi_schema is None
        schema = super().openapi()
        if first_time:
            document_problems(schema)
        return schema


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings)
        async with AsyncExitStack() as stack:
            database_url = settings.database_url
            if database_url is None:
                data_dir = settings.embedded_database_dir
                database_url = await stack.enter_async_context(
                    embedded_database(data_dir)
                )
                await migrate_to_head(database_url)
            engine = create_engine(settings, database_url)
            stack.push_async_callback(engine.dispose)
            app.state.session_factory = create_session_factory(engine)
            app.state.reads = Reads(engine)
            yield

    docs = settings.serves_docs
    app = ServiceApp(
        title=settings.app_title,
        lifespan=lifespan,
        # Any route may fail unexpectedly; routes that use the database may
        # also find it unreachable (api.py, core/health.py).
        responses=problem_responses(500),
        # A redirect to the slash-less path would be built from the request's
        # Host header, which a client can forge; clients use the exact paths.
        redirect_slashes=False,
        openapi_url="/openapi.json" if docs else None,
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
    )
    # The last added runs first: request id, access log, CORS, GZip, the body
    # limit, then the 500 for unexpected errors (inside CORS, so that browsers
    # can read every error).
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_middleware(BodySizeLimitMiddleware, max_size=settings.max_body_size)
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=[REQUEST_ID_HEADER],
        )
    app.add_middleware(AccessLogMiddleware)
    app.add_middleware(RequestIdMiddleware)
    register_error_handlers(app)
    app.include_router(health.router)
    app.include_router(api_router)
    return app


app = create_app()
