"""What sign-in refuses with; core/http/errors.py serves them, headers too."""

from http import HTTPStatus

from ..core.exceptions import AppError


class UnauthenticatedError(AppError):
    """No valid session. One answer whatever the reason (no token, unknown,
    expired, idle, revoked, inactive user, wrong password): the reason would
    tell a caller which guesses came close."""

    status_code = HTTPStatus.UNAUTHORIZED
    error_code = "UNAUTHENTICATED"

    def __init__(self, detail: str = "Sign in to use this endpoint") -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class WrongPasswordError(AppError):
    status_code = HTTPStatus.FORBIDDEN
    error_code = "WRONG_PASSWORD"


class TooManyAttemptsError(AppError):
    status_code = HTTPStatus.TOO_MANY_REQUESTS
    error_code = "TOO_MANY_REQUESTS"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"Too many failed sign-ins; try again in {retry_after} seconds",
            headers={"Retry-After": str(retry_after)},
        )
