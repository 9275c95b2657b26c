"""The exceptions services raise; core/http/errors.py turns them into responses."""

from http import HTTPStatus


class AppError(Exception):
    """Base of the errors services raise; the status and code travel with it."""

    status_code = HTTPStatus.INTERNAL_SERVER_ERROR
    error_code = "INTERNAL_ERROR"

    def __init__(self, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        # Sent with the response: WWW-Authenticate with a 401, Retry-After...
        self.headers = headers or {}


class NotFoundError(AppError):
    status_code = HTTPStatus.NOT_FOUND
    error_code = "NOT_FOUND"


class ConflictError(AppError):
    status_code = HTTPStatus.CONFLICT
    error_code = "CONFLICT"
