"""The one error shape every response uses, and the handlers that serve it.

Errors are served as RFC 9457 problem details, with the project's machine code
in `error_code` and the request id in `request_id`. The exceptions services
raise are in core/exceptions.py, which imports no framework; they are
re-exported here for code that imports them from core.http.errors.
"""

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from ..database.errors import DatabaseFault, classify_database_error, database_message
from ..exceptions import AppError as AppError
from ..exceptions import ConflictError as ConflictError
from ..exceptions import NotFoundError as NotFoundError
from .request_id import REQUEST_ID_HEADER, request_id_of

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    """The body of every error response (served as application/problem+json)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str
    error_code: str
    request_id: str
    errors: list[FieldError] | None = None


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries documenting the error shape of a route."""
    return {
        # The media type is set for all errors at once by document_problems().
        status: {"model": Problem, "description": HTTPStatus(status).phrase}
        for status in statuses
    }


def document_problems(schema: dict[str, Any]) -> None:
    """Make every documented error response problem+json, as the handlers below
    serve it: FastAPI lists a `model` under application/json, and documents its
    own shape for the 422 it adds to routes with parameters. Routes that take
    a body may also answer 413 (MAX_BODY_SIZE)."""
    problem = {"$ref": "#/components/schemas/Problem"}
    too_large = HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.get("responses", {})
            if "requestBody" in operation:
                responses[str(too_large.value)] = {"description": too_large.phrase}
            for status, response in responses.items():
                if status[0] in "45":
                    response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": problem}}
    component_schemas = schema.get("components", {}).get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        component_schemas.pop(unused, None)


_ERROR_CODES = {
    HTTPStatus.INTERNAL_SERVER_ERROR: "INTERNAL_ERROR",
    HTTPStatus.NOT_FOUND: "NOT_FOUND",
    HTTPStatus.METHOD_NOT_ALLOWED: "METHOD_NOT_ALLOWED",
    HTTPStatus.CONFLICT: "CONFLICT",
    HTTPStatus.REQUEST_ENTITY_TOO_LARGE: "PAYLOAD_TOO_LARGE",
    HTTPStatus.UNPROCESSABLE_ENTITY: "VALIDATION_ERROR",
    HTTPStatus.SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
}


def problem_response(
    request: Request,
    status: int,
    detail: str,
    *,
    error_code: str | None = None,
    errors: list[FieldError] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    request_id = request_id_of(request)
    body = Problem(
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=request.url.path,
        error_code=error_code or _ERROR_CODES.get(HTTPStatus(status), "HTTP_ERROR"),
        request_id=request_id,
        errors=errors,
    )
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers={**(headers or {}), REQUEST_ID_HEADER: request_id},
    )


def validation_problem(request: Request, errors: list[FieldError]) -> JSONResponse:
    details = "; ".join(f"{_dotted(error.loc)}: {error.msg}" for error in errors)
    return problem_response(
        request,
        HTTPStatus.UNPROCESSABLE_ENTITY,
        f"Invalid request: {details}",
        errors=errors,
    )


def _dotted(loc: list[str | int]) -> str:
    return ".".join(map(str, loc))


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return problem_response(
        request,
        exc.status_code,
        exc.detail,
        error_code=exc.error_code,
        headers=exc.headers,
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return validation_problem(request, [_field_error(error) for error in exc.errors()])


def _field_error(error: Mapping[str, Any]) -> FieldError:
    if error["type"] == "json_invalid":
        # FastAPI puts the character offset where a field name would be.
        position = error["loc"][-1]
        reason = error.get("ctx", {}).get("error", "malformed")
        return FieldError(
            loc=["body"],
            msg=f"The body is not valid JSON ({reason} at character {position})",
            type="json_invalid",
        )
    return FieldError(loc=list(error["loc"]), msg=error["msg"], type=error["type"])


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == HTTPStatus.BAD_REQUEST and exc.__cause__ is not None:
        # FastAPI's answer to a body it could not decode (not UTF-8, nested too
        # deep): the same mistake as malformed JSON, so the same 422.
        error = FieldError(
            loc=["body"], msg="The body is not valid UTF-8 JSON", type="json_invalid"
        )
        return validation_problem(request, [error])
    headers = dict(exc.headers or {})
    if exc.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
        headers["Allow"] = ", ".join(allowed_methods(request))
    return problem_response(request, exc.status_code, str(exc.detail), headers=headers)


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path. Starlette's own 405 names
    only the methods of the first route that matched the path."""
    return [
        method
        for method in _HTTP_METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL
            for route in request.app.router.routes
        )
    ]


_HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DBAPIError)
    match classify_database_error(exc):
        case DatabaseFault.UNAVAILABLE:
            return _database_unavailable(request, exc)
        case DatabaseFault.INVALID_VALUE:
            # Input validation should have refused this value; the database did.
            logger.warning("database refused a value: %s", database_message(exc))
            error = FieldError(
                loc=["request"], msg=database_message(exc), type="database_value"
            )
            return validation_problem(request, [error])
        case DatabaseFault.OTHER:
            return unexpected_error_response(request, exc)


async def _connection_error(request: Request, exc: Exception) -> JSONResponse:
    return _database_unavailable(request, exc)


def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    logger.error("database unavailable: %s", database_message(exc))
    return problem_response(
        request,
        HTTPStatus.SERVICE_UNAVAILABLE,
        "The database cannot be reached; try again shortly",
    )


def unexpected_error_response(request: Request, exc: Exception) -> JSONResponse:
    logger.error("unhandled error", exc_info=exc)
    return problem_response(
        request, HTTPStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred"
    )


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    return unexpected_error_response(request, exc)


def register_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(DBAPIError, _database_error)
    # Lost or refused connections: asyncpg raises OSError subclasses on connect
    # and TimeoutError past DATABASE_COMMAND_TIMEOUT; a pool with no connection
    # to spare times out.
    for error in (OSError, PoolTimeoutError):
        app.add_exception_handler(error, _connection_error)
    # Only for errors raised by middleware outside UnexpectedErrorMiddleware
    # (core/http/unexpected_errors.py), which answers everything raised inside it.
    app.add_exception_handler(Exception, _unexpected_error)
