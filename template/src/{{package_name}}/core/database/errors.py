"""What a database error means for the client, read from its SQLSTATE."""

from enum import Enum

from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError


class DatabaseFault(Enum):
    UNAVAILABLE = "the database cannot serve us now: 503, worth a retry"
    INVALID_VALUE = "the database refused a value of the request: 422"
    OTHER = "a defect in the service: 500"


# SQLSTATE classes (the first two characters) that say the database cannot
# serve us now, whatever the request: connection exceptions, refused
# authorization, a missing database, a transaction to retry (serialization,
# deadlock), exhausted resources, an administrator or a statement_timeout
# cancelling us, a system error.
_UNAVAILABLE_CLASSES = frozenset({"08", "28", "3D", "40", "53", "57", "58"})
_LOCK_NOT_AVAILABLE = "55P03"  # lock_timeout
_DATA_EXCEPTION_CLASS = "22"


def driver_error(error: DBAPIError) -> BaseException | None:
    """asyncpg's own exception, which SQLAlchemy's adapter wraps."""
    cause = getattr(error.orig, "__cause__", None)
    return cause if isinstance(cause, BaseException) else error.orig


def sqlstate(error: DBAPIError) -> str | None:
    """The SQLSTATE the server reported, if any."""
    code = getattr(driver_error(error), "sqlstate", None)
    return code if isinstance(code, str) else None


def classify_database_error(error: DBAPIError) -> DatabaseFault:
    code = sqlstate(error)
    if code is None:
        # No answer from the server at all: the connection broke or closed.
        lost = isinstance(error, OperationalError | InterfaceError)
        return DatabaseFault.UNAVAILABLE if lost else DatabaseFault.OTHER
    if code[:2] in _UNAVAILABLE_CLASSES or code == _LOCK_NOT_AVAILABLE:
        return DatabaseFault.UNAVAILABLE
    if code[:2] == _DATA_EXCEPTION_CLASS:
        return DatabaseFault.INVALID_VALUE
    return DatabaseFault.OTHER


def database_message(error: BaseException) -> str:
    """The driver's own words, without the SQL and parameters SQLAlchemy adds
    (they may hold user data)."""
    if isinstance(error, DBAPIError):
        cause = driver_error(error)
        code = sqlstate(error)
        prefix = f"[{code}] " if code else ""
        return f"{prefix}{type(cause).__name__}: {cause}"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def violated_constraint(error: IntegrityError) -> str | None:
    """Name of the constraint or unique index an IntegrityError reports, if any."""
    name = getattr(driver_error(error), "constraint_name", None)
    return name if isinstance(name, str) else None
