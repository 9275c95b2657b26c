from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from ..core.errors import AppError, problem_response


class UnauthenticatedError(AppError):
    """No valid session. One answer whatever the reason (no token, unknown,
    expired, idle, revoked, inactive user, wrong password): the reason would
    tell a caller which guesses came close."""

    status_code = HTTPStatus.UNAUTHORIZED
    error_code = "UNAUTHENTICATED"

    def __init__(self, detail: str = "Sign in to use this endpoint") -> None:
        super().__init__(detail)
        self.headers = {"WWW-Authenticate": "Bearer"}


class WrongPasswordError(AppError):
    status_code = HTTPStatus.FORBIDDEN
    error_code = "WRONG_PASSWORD"


class TooManyAttemptsError(AppError):
    status_code = HTTPStatus.TOO_MANY_REQUESTS
    error_code = "TOO_MANY_REQUESTS"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"Too many failed sign-ins; try again in {retry_after} seconds"
        )
        self.headers = {"Retry-After": str(retry_after)}


AuthError = UnauthenticatedError | TooManyAttemptsError


async def _with_headers(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AuthError)
    return problem_response(
        request,
        exc.status_code,
        exc.detail,
        error_code=exc.error_code,
        headers=exc.headers,
    )


def register_auth_error_handlers(app: FastAPI) -> None:
    """The problem responses of AppError, with the headers these errors need."""
    app.add_exception_handler(UnauthenticatedError, _with_headers)
    app.add_exception_handler(TooManyAttemptsError, _with_headers)
