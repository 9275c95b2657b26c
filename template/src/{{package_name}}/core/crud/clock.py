from datetime import UTC, datetime


def utc_now() -> datetime:
    # Taken in Python, not with PostgreSQL's now(): now() is frozen for a whole
    # transaction, so updated_at would not move inside one.
    return datetime.now(UTC)
