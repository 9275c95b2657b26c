"""The types of filter values: timestamps, text, `in` list elements, like patterns."""

import re
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, StringConstraints

from ..schema_docs import DocumentedPattern
from ..text import STORABLE_TEXT_PATTERN, check_storable


def _iso_datetime(value: object) -> object:
    # Pydantic also reads a bare number as Unix time; the contract asks for an
    # ISO 8601 date-time with an offset, and anything else is a mistake.
    if isinstance(value, str) and not re.match(r"\d{4}-\d\d-\d\d", value):
        raise ValueError("must be an ISO 8601 date-time with an offset")
    return value


def _in_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:
        # Beyond year 1 or 9999 in UTC: bound by asyncpg's stand-ins for
        # PostgreSQL's -infinity and infinity, which order the same way.
        low = value.year == datetime.min.year
        return (datetime.min if low else datetime.max).replace(tzinfo=UTC)


Timestamp = Annotated[
    AwareDatetime, BeforeValidator(_iso_datetime), AfterValidator(_in_utc)
]
Text = Annotated[
    str, AfterValidator(check_storable), DocumentedPattern(STORABLE_TEXT_PATTERN)
]
# An element of an `in` list: not empty, and the comma separates elements.
ListedText = Annotated[
    str,
    StringConstraints(min_length=1),
    AfterValidator(check_storable),
    DocumentedPattern(r"^[^\x00,]+$"),
]

# A like/ilike value with % or _ is a SQL pattern, which must not end with the
# escape character (\); one without is matched as a substring.
LIKE_VALUE_PATTERN = r"^(?:[^\x00%_]*|[^\x00]*[%_](?:[^\x00]*[^\x00\\])?(?:\\\\)*)$"


def _sql_pattern(value: str) -> str:
    check_storable(value)
    if "%" not in value and "_" not in value:
        return "%" + value.replace("\\", "\\\\") + "%"
    if (len(value) - len(value.rstrip("\\"))) % 2:
        raise ValueError("a pattern must not end with the escape character \\")
    return value


LikeValue = Annotated[
    str, AfterValidator(_sql_pattern), DocumentedPattern(LIKE_VALUE_PATTERN)
]
