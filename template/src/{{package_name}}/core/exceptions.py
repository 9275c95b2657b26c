"""The exceptions services raise; core/errors.py turns them into responses."""

from http import HTTPStatus


class AppError(Exception):
    """Base of the errors services raise; the status and code travel with it."""

    status_code = HTTPStatus.INTERNAL_SERVER_ERROR
    error_code = "INTERNAL_ERROR"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFoundError(AppError):
    status_code = HTTPStatus.NOT_FOUND
    error_code = "NOT_FOUND"


class ConflictError(AppError):
    status_code = HTTPStatus.CONFLICT
    error_code = "CONFLICT"
